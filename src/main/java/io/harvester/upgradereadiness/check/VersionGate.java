package io.harvester.upgradereadiness.check;

import java.util.Optional;

/**
 * The Harvester versions a rule is in force on, declared as data next to the rule (as Polaris or kube-no-trouble
 * key their rules by version) and judged against the version whose code enforces it: the Upgrade webhook and the
 * upgrade controller are the <em>current</em> version's code, the pre-drain scripts and the new images the
 * <em>target</em>'s.
 * <p>
 * A prerelease is judged as the release it leads to ({@code v1.8.0-rc1} as {@code v1.8.0}): a change that ships in a
 * release is in its release candidates. When the deciding version cannot be read (absent, or a dev build such as
 * {@code v1.8-head}) the rule is {@link Decision#ASSUMED}: it applies, and its finding must say that the version
 * could not be read, so that nothing passes for want of a version.
 *
 * @param side whose version decides
 * @param fromInclusive the first version the rule is in force on, {@code null} for every version before
 * {@code untilExclusive}
 * @param untilExclusive the first version it is no longer in force on, {@code null} for no end
 */
public record VersionGate(Side side, String fromInclusive, String untilExclusive) {

	/** Whose version a gate is judged by. */
	public enum Side {

		/** The running version: the Upgrade webhook, the upgrade controller. */
		CURRENT("current"),
		/** The version upgraded to: its pre-drain scripts and images. */
		TARGET("target");

		private final String label;

		Side(String label) {
			this.label = label;
		}

		public String label() {
			return this.label;
		}

	}

	/** What a gate decides for one evaluation. */
	public enum Decision {

		/** The deciding version is in range: the rule applies. */
		APPLIES,
		/** The deciding version is outside the range: the rule does not apply. */
		DOES_NOT_APPLY,
		/** The deciding version cannot be read: the rule applies, and its finding says it was assumed. */
		ASSUMED;

		/** Whether the rule is to be applied (in range, or assumed). */
		public boolean applies() {
			return this != DOES_NOT_APPLY;
		}

	}

	public VersionGate {
		if (side == null) {
			throw new IllegalArgumentException("a version gate needs a side");
		}
		requireRelease(fromInclusive);
		requireRelease(untilExclusive);
	}

	/** A range of the running version; either bound may be {@code null} (unbounded). */
	public static VersionGate onCurrent(String fromInclusive, String untilExclusive) {
		return new VersionGate(Side.CURRENT, fromInclusive, untilExclusive);
	}

	/** A range of the target version; either bound may be {@code null} (unbounded). */
	public static VersionGate onTarget(String fromInclusive, String untilExclusive) {
		return new VersionGate(Side.TARGET, fromInclusive, untilExclusive);
	}

	public Decision decide(HarvesterVersions versions) {
		Optional<HarvesterVersion> deciding = (this.side == Side.CURRENT) ? versions.currentVersion()
				: versions.targetVersion();
		if (deciding.isEmpty()) {
			return Decision.ASSUMED;
		}
		HarvesterVersion version = deciding.get();
		if (this.fromInclusive != null && version.compareStable(HarvesterVersion.parse(this.fromInclusive)) < 0) {
			return Decision.DOES_NOT_APPLY;
		}
		if (this.untilExclusive != null && version.compareStable(HarvesterVersion.parse(this.untilExclusive)) >= 0) {
			return Decision.DOES_NOT_APPLY;
		}
		return Decision.APPLIES;
	}

	/**
	 * The range for people: {@code v1.4.1 <= current < v1.8.0}, {@code current >= v1.6.0},
	 * {@code current < v1.6.0}, or {@code every current version}.
	 */
	public String describe() {
		String label = this.side.label();
		if (this.fromInclusive != null && this.untilExclusive != null) {
			return this.fromInclusive + " <= " + label + " < " + this.untilExclusive;
		}
		if (this.fromInclusive != null) {
			return label + " >= " + this.fromInclusive;
		}
		if (this.untilExclusive != null) {
			return label + " < " + this.untilExclusive;
		}
		return "every " + label + " version";
	}

	/**
	 * Why a rule was applied although its version could not be judged, for the finding's text; empty unless the
	 * decision is {@link Decision#ASSUMED}.
	 */
	public Optional<String> assumption(HarvesterVersions versions) {
		if (decide(versions) != Decision.ASSUMED) {
			return Optional.empty();
		}
		String why = (this.side == Side.CURRENT) ? versions.currentUnknownReason().orElse("")
				: ((versions.target() == null) ? "there is no target version"
						: "the target " + versions.target() + " is a development build, not a version that can be "
								+ "compared");
		return Optional.of(why + ", so this rule (in force on " + describe() + ") is applied");
	}

	@Override
	public String toString() {
		return describe();
	}

	private static void requireRelease(String bound) {
		if (bound != null && !HarvesterVersions.isSemanticVersion(bound)) {
			throw new IllegalArgumentException("a version gate's bound must be a release version, not " + bound);
		}
	}

}
