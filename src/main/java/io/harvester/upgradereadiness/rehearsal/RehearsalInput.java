package io.harvester.upgradereadiness.rehearsal;

import java.util.Optional;

import io.harvester.upgradereadiness.check.HarvesterVersion;
import io.harvester.upgradereadiness.check.HarvesterVersions;

/**
 * What a rehearsal depends on besides the snapshot: the running and target Harvester versions (raw, as
 * {@link HarvesterVersions#resolve} gives them) and, when asked, a {@code restoreVM} to rehearse with instead of the
 * {@code upgrade-config} setting's. Equal inputs over the same snapshot give equal rehearsals (the memo key; where
 * the target came from is no part of it).
 *
 * @param current the running version, {@code null} when unknown
 * @param target the version upgraded to, {@code null} when there is none
 * @param restoreVm {@code restoreVM} to assume, {@code null} to read the {@code upgrade-config} setting
 */
public record RehearsalInput(String current, String target, Boolean restoreVm) {

	public static RehearsalInput of(HarvesterVersions versions, Boolean restoreVm) {
		return new RehearsalInput(versions.current(), versions.target(), restoreVm);
	}

	public HarvesterVersions versions() {
		return HarvesterVersions.of(this.current, this.target);
	}

	/** Whether the target is at least {@code major.minor}; empty when there is none or it is a dev build. */
	public Optional<Boolean> targetAtLeast(int major, int minor) {
		return versions().targetVersion().map(v -> atLeast(v, major, minor));
	}

	public Optional<Boolean> currentAtLeast(int major, int minor) {
		return versions().currentVersion().map(v -> atLeast(v, major, minor));
	}

	private static boolean atLeast(HarvesterVersion version, int major, int minor) {
		return version.compareStable(HarvesterVersion.parse("v" + major + "." + minor + ".0")) >= 0;
	}

}
