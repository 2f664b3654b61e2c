package io.harvester.upgradereadiness.system.security;

/** The API server could not review a token (unreachable, or refused the review itself); answered with 503. */
class ReviewUnavailableException extends RuntimeException {

	ReviewUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
