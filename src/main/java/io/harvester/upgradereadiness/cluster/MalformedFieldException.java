package io.harvester.upgradereadiness.cluster;

/**
 * A field a check needs holds a value of the wrong shape (a phase that is a number, a condition list that is a
 * map). The check that reads it reports {@code ERROR} naming the object and the field; other checks still run.
 */
public class MalformedFieldException extends RuntimeException {

	private final ResourceRef resource;

	private final String field;

	public MalformedFieldException(ResourceRef resource, String field, String expected, Object actual) {
		super("%s: field %s is %s, expected %s".formatted(resource, field, describe(actual), expected));
		this.resource = resource;
		this.field = field;
	}

	public ResourceRef resource() {
		return this.resource;
	}

	public String field() {
		return this.field;
	}

	private static String describe(Object value) {
		if (value instanceof java.util.Map) {
			return "an object";
		}
		if (value instanceof java.util.List) {
			return "a list";
		}
		if (value instanceof Number) {
			return "a number (" + value + ")";
		}
		if (value instanceof Boolean) {
			return "a boolean (" + value + ")";
		}
		return "\"" + value + "\"";
	}

}
