package io.harvester.upgradereadiness.system.security;

/** A security setting the service cannot honour; stops start-up. */
class SecurityConfigurationException extends RuntimeException {

	private final String action;

	SecurityConfigurationException(String message, String action) {
		super(message);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
