package io.harvester.upgradereadiness.system.security;

/**
 * What the API server said about one bearer token.
 *
 * @param outcome allowed, not authenticated, or authenticated but not allowed
 * @param user the authenticated user's name, for the log only; {@code null} when not authenticated
 */
record AccessDecision(Outcome outcome, String user) {

	static final AccessDecision UNAUTHENTICATED = new AccessDecision(Outcome.UNAUTHENTICATED, null);

	static AccessDecision allowed(String user) {
		return new AccessDecision(Outcome.ALLOWED, user);
	}

	static AccessDecision forbidden(String user) {
		return new AccessDecision(Outcome.FORBIDDEN, user);
	}

	enum Outcome {

		ALLOWED, UNAUTHENTICATED, FORBIDDEN

	}

}
