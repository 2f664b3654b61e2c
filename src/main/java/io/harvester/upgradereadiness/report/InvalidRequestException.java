package io.harvester.upgradereadiness.report;

import java.util.Map;

/** A request names something that does not exist (a parameter, a check id); answered with 400. */
public class InvalidRequestException extends RuntimeException {

	private final Map<String, Object> properties;

	public InvalidRequestException(String message, Map<String, Object> properties) {
		super(message);
		this.properties = Map.copyOf(properties);
	}

	/** Extra members of the problem response, such as the valid values. */
	public Map<String, Object> properties() {
		return this.properties;
	}

}
