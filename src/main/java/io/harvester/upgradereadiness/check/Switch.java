package io.harvester.upgradereadiness.check;

/**
 * A value that changes how a check behaves, with who set it, so that a check switched off says who switched it
 * off.
 *
 * @param value the value in force
 * @param setBy who set it: {@code "default"}, {@code "request parameter skipVersionCheck"}, or
 * {@code "configuration property upgrade-readiness.checks.skip-version-check"}
 * @param <T> the value's type
 */
public record Switch<T>(T value, String setBy) {

	public static final String DEFAULT = "default";

	public static <T> Switch<T> byDefault(T value) {
		return new Switch<>(value, DEFAULT);
	}

	public boolean isDefault() {
		return DEFAULT.equals(this.setBy);
	}

}
