package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.HarvesterVersion;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * The upgrade from the running version to the target must be one Harvester allows.
 * <p>
 * Harvester does not check this when the Upgrade is created: its upgrade controller does, once the upgrade has
 * already started (the ISO is downloaded and the repository prepared), and fails the upgrade there (HC-03, the
 * version guard of {@code harvester/go-common}, strict mode). Checking it beforehand saves that round trip. The
 * rules, in Harvester's order: a dev target is always allowed; a dev build cannot be upgraded to a release; the same
 * version is allowed; no downgrade; the running version must be at least the target's {@code minUpgradableVersion};
 * from a prerelease only to the same {@code MAJOR.MINOR.PATCH}. Harvester reads the minimum from the ISO's
 * {@code repoInfo}; we read it from the target's Version object ({@code spec.minUpgradableVersion}), which carries
 * the same value, so a target named only by request and with no Version object has no minimum here.
 * <p>
 * The running version comes from the setting {@code server-version}, as Harvester copies it into
 * {@code status.previousVersion}; both are resolved once per evaluation ({@link HarvesterVersions}, the context's
 * {@code versions}).
 */
public final class UpgradePathCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("upgrade-path", "Upgrade path allowed", "platform",
			Severity.ERROR, true,
			"The upgrade from the running version (setting server-version) to the target (the targetVersion option, "
					+ "else the newest versions.harvesterhci.io object) must pass Harvester's version guard: no "
					+ "upgrade from a dev build to a release, no downgrade, the running version at least the target's "
					+ "minUpgradableVersion, and from a prerelease only to the same MAJOR.MINOR.PATCH. Switched off by "
					+ "skipVersionCheck, as Harvester's annotation harvesterhci.io/skip-version-check. A requested "
					+ "target must also have a versions.harvesterhci.io object (when they can be read), whatever "
					+ "skipVersionCheck says.",
			List.of(WatchedKind.SETTINGS),
			"Upgrade controller version guard, after the upgrade has started (HC-03); not enforced by the Upgrade "
					+ "webhook; skipped by the Upgrade annotation harvesterhci.io/skip-version-check. A target without "
					+ "a Version object is refused by the Upgrade webhook on every version (HV-02)",
			null, List.of(WatchedKind.VERSIONS));

	/** The Upgrade webhook's rule for a target without a Version object (HV-02). */
	static final String VERSION_NOT_FOUND = "version-not-found";

	/** The version guard's refusals, in Harvester's order, with its messages. */
	enum Rule {

		DEV_TO_RELEASE("dev-to-release", "upgrading from dev versions to non-dev versions is prohibited"),
		DOWNGRADE("downgrade", "downgrading is prohibited"),
		MIN_VERSION_INCOMPARABLE("min-upgradable-version-incomparable", "incomparable: dev version"),
		BELOW_MIN_VERSION("below-min-upgradable-version", "current version does not meet minimum upgrade requirement"),
		PRERELEASE_CROSS_VERSION("prerelease-cross-version",
				"cross-version upgrades from/to any prerelease version are prohibited");

		final String id;

		final String message;

		Rule(String id, String message) {
			this.id = id;
			this.message = message;
		}

	}

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		CheckOptions options = context.options();
		HarvesterVersions upgrade = context.versions();
		// The Upgrade webhook's own refusal (HV-02): it comes before the version guard and skip-version-check does
		// not switch it off.
		Optional<Finding> notFound = versionNotFound(snapshot, upgrade);
		if (notFound.isPresent()) {
			return CheckOutcome.of(List.of(notFound.get()));
		}
		if (Boolean.TRUE.equals(options.skipVersionCheck().value())) {
			return CheckOutcome.skipped("switched off by " + options.skipVersionCheck().setBy());
		}
		if (upgrade.target() == null) {
			KindStatus versions = snapshot.status(WatchedKind.VERSIONS);
			if (!versions.usable()) {
				return CheckOutcome.unknown("needs versions.harvesterhci.io or a targetVersion: " + why(versions));
			}
			return CheckOutcome
				.skipped("no target version: no versions.harvesterhci.io object and no targetVersion given");
		}
		Optional<KubeObject> setting = Settings.find(snapshot, Settings.SERVER_VERSION);
		if (setting.isEmpty()) {
			return CheckOutcome.unknown("no setting " + Settings.SERVER_VERSION
					+ " in the snapshot: the running version is unknown");
		}
		if (upgrade.current() == null || !HarvesterVersion.isValid(upgrade.current())) {
			return CheckOutcome.unknown("setting " + Settings.SERVER_VERSION + " has no value: the running version "
					+ "is unknown");
		}
		if (!HarvesterVersion.isValid(upgrade.target())) {
			return CheckOutcome.unknown("target version '" + upgrade.target() + "' (" + upgrade.targetSource()
					+ ") is not a version");
		}
		Optional<KubeObject> versionObject = HarvesterVersions.versionObject(snapshot, upgrade.target());
		String min = versionObject.flatMap(v -> v.string(HarvesterVersions.MIN_UPGRADABLE_VERSION))
			.filter(HarvesterVersion::isValid)
			.orElse(null);
		HarvesterVersion current = HarvesterVersion.parse(upgrade.current());
		HarvesterVersion target = HarvesterVersion.parse(upgrade.target());
		Optional<Rule> refused = refusal(current, target, (min != null) ? HarvesterVersion.parse(min) : null);
		if (refused.isEmpty()) {
			return CheckOutcome.pass();
		}
		Rule rule = refused.get();
		List<ResourceRef> resources = new ArrayList<>();
		resources.add(setting.get().ref());
		versionObject.ifPresent(v -> resources.add(v.ref()));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("current", upgrade.current());
		details.put("target", upgrade.target());
		details.put("targetSource", upgrade.targetSource());
		details.put("minUpgradableVersion", min);
		String message = "cannot upgrade from " + upgrade.current() + " to " + upgrade.target() + ": " + rule.message;
		if (rule == Rule.BELOW_MIN_VERSION || rule == Rule.MIN_VERSION_INCOMPARABLE) {
			message += " (minUpgradableVersion is " + min + ")";
		}
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, rule.id, message,
				remediation(rule, upgrade, min, current, versionObject.orElse(null)), resources, details)));
	}

	/**
	 * A target someone asked for that has no Version object, while the Versions can be read: Harvester refuses an
	 * Upgrade naming it ({@code version %s is not found}, the webhook's HV-02). The newest Version object is found by
	 * definition; with Versions unreadable nothing can be said.
	 */
	private static Optional<Finding> versionNotFound(ClusterSnapshot snapshot, HarvesterVersions upgrade) {
		if (upgrade.target() == null || upgrade.targetFromVersionObject() || !snapshot.usable(WatchedKind.VERSIONS)
				|| HarvesterVersions.versionObject(snapshot, upgrade.target()).isPresent()) {
			return Optional.empty();
		}
		List<String> known = snapshot.objects(WatchedKind.VERSIONS).stream().map(KubeObject::name).sorted().toList();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("target", upgrade.target());
		details.put("targetSource", upgrade.targetSource());
		details.put("versions", known);
		String remediation = "Harvester starts an upgrade only to a version that has a versions.harvesterhci.io object "
				+ "in harvester-system. " + (known.isEmpty() ? "There is none. "
						: "The ones there are: " + String.join(", ", known) + ". ")
				+ "Check the spelling of " + upgrade.target() + " (" + upgrade.targetSource() + "), or create its "
				+ "Version object from the release's version.yaml (kubectl apply -f "
				+ "https://releases.rancher.com/harvester/" + upgrade.target() + "/version.yaml, on an air-gapped "
				+ "cluster from a copy) and upgrade from it.";
		return Optional.of(Finding.of(DEFINITION, VERSION_NOT_FOUND, "version " + upgrade.target() + " is not found",
				remediation, List.of(), details));
	}

	/**
	 * Harvester's version guard in strict mode: the first rule the upgrade breaks, empty when it is allowed.
	 * @param current the running version
	 * @param target the version to upgrade to
	 * @param min the target's minimum upgradable version, {@code null} for none
	 */
	static Optional<Rule> refusal(HarvesterVersion current, HarvesterVersion target, HarvesterVersion min) {
		if (target.isDev()) {
			return Optional.empty();
		}
		if (current.isDev()) {
			return Optional.of(Rule.DEV_TO_RELEASE);
		}
		if (current.isSameAs(target)) {
			return Optional.empty();
		}
		if (current.compareTo(target) > 0) {
			return Optional.of(Rule.DOWNGRADE);
		}
		if (min != null) {
			if (min.isDev()) {
				return Optional.of(Rule.MIN_VERSION_INCOMPARABLE);
			}
			if (current.compareTo(min) < 0) {
				return Optional.of(Rule.BELOW_MIN_VERSION);
			}
		}
		if (current.isPrerelease() && !current.hasSameStableVersion(target)) {
			return Optional.of(Rule.PRERELEASE_CROSS_VERSION);
		}
		return Optional.empty();
	}

	private static String remediation(Rule rule, HarvesterVersions upgrade, String min, HarvesterVersion current,
			KubeObject versionObject) {
		String listVersions = "kubectl get versions.harvesterhci.io -n harvester-system";
		return switch (rule) {
			case DEV_TO_RELEASE -> "This cluster runs a development build (" + upgrade.current() + "), which Harvester "
					+ "does not upgrade to a release. Reinstall from a release ISO; only on a test cluster, set the "
					+ "Upgrade annotation harvesterhci.io/skip-version-check: \"true\" (skipVersionCheck here).";
			case DOWNGRADE -> "Harvester does not downgrade. Choose a target newer than " + upgrade.current() + " ("
					+ listVersions + ")" + (upgrade.targetFromVersionObject()
							? "; the Version object " + upgrade.target() + " is older than the running version and "
									+ "is probably stale: delete it with kubectl delete versions.harvesterhci.io -n "
									+ versionObject.namespace() + " " + versionObject.name()
							: "")
					+ ".";
			case MIN_VERSION_INCOMPARABLE -> "The Version object's spec.minUpgradableVersion " + min + " is not a "
					+ "semantic version, so Harvester cannot compare it. Correct it (kubectl edit "
					+ "versions.harvesterhci.io -n " + versionObject.namespace() + " " + versionObject.name()
					+ ") or use the Version file published for the release.";
			case BELOW_MIN_VERSION -> "Upgrade in steps: first to a release that " + upgrade.current() + " may upgrade "
					+ "to and that is at least " + min + " (see the upgrade paths in the Harvester release notes), "
					+ "then to " + upgrade.target() + ".";
			case PRERELEASE_CROSS_VERSION -> "A prerelease may only be upgraded to a later prerelease or the "
					+ "release of the same version (" + current.stableVersion() + "). Upgrade to "
					+ current.stableVersion() + " first.";
		};
	}

	private static String why(KindStatus status) {
		if (status.message() != null) {
			return status.message();
		}
		return status.present() ? status.resource() + " is not synced yet" : status.resource() + " is absent";
	}

}
