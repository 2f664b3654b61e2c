package io.harvester.upgradereadiness.rehearsal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a rehearsal depends on besides the snapshot: the running and target Harvester versions (raw, as the report
 * resolves them) and, when asked, a {@code restoreVM} to rehearse with instead of the {@code upgrade-config}
 * setting's. Equal inputs over the same snapshot give equal rehearsals (the memo key).
 *
 * @param current the running version, {@code null} when unknown
 * @param target the version upgraded to, {@code null} when there is none
 * @param restoreVm {@code restoreVM} to assume, {@code null} to read the {@code upgrade-config} setting
 */
public record RehearsalInput(String current, String target, Boolean restoreVm) {

	private static final Pattern RELEASE = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-.*)?");

	/** Whether the target is at least {@code major.minor}; empty when there is no target or it is no release. */
	public Optional<Boolean> targetAtLeast(int major, int minor) {
		return atLeast(this.target, major, minor);
	}

	public Optional<Boolean> currentAtLeast(int major, int minor) {
		return atLeast(this.current, major, minor);
	}

	private static Optional<Boolean> atLeast(String version, int major, int minor) {
		if (version == null) {
			return Optional.empty();
		}
		Matcher m = RELEASE.matcher(version.trim());
		if (!m.matches()) {
			return Optional.empty();
		}
		int actualMajor = Integer.parseInt(m.group(1));
		int actualMinor = Integer.parseInt(m.group(2));
		return Optional.of(actualMajor > major || (actualMajor == major && actualMinor >= minor));
	}

}
