package io.harvester.upgradereadiness.check.platform;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Which upgrade a report is about: the running version and the version to upgrade to.
 * <p>
 * The running version is Harvester's setting {@code server-version} (its value, else its default), which the
 * upgrade controller copies into {@code status.previousVersion}. The target is the request's
 * {@code targetVersion} when given; otherwise the newest {@code versions.harvesterhci.io} object, which is what
 * Harvester offers in its UI. "Newest" is by semantic-version order of the objects' names; names that are not
 * semantic versions (dev builds such as {@code v1.5-head}) are ignored unless every Version object is a dev build,
 * in which case the greatest name in alphabetical order is taken, so that the choice is at least stable.
 *
 * @param current the running version, {@code null} when the snapshot does not say
 * @param target the version to upgrade to, {@code null} when there is none
 * @param targetSource where the target comes from: who set {@code targetVersion} (such as
 * {@code request parameter targetVersion}) or {@value #NEWEST_VERSION_OBJECT}; {@code null} without a target
 */
public record UpgradeTarget(String current, String target, String targetSource) {

	public static final String NEWEST_VERSION_OBJECT = "newest versions.harvesterhci.io object";

	static final String MIN_UPGRADABLE_VERSION = "spec.minUpgradableVersion";

	/** Newest first: semantic versions by precedence, ties (such as {@code 1.5.0} and {@code v1.5.0}) by name. */
	private static final Comparator<Candidate> NEWEST_FIRST = ((Comparator<Candidate>) (a, b) -> a.version()
		.compareTo(b.version())).thenComparing(c -> c.object().name()).reversed();

	public static UpgradeTarget resolve(ClusterSnapshot snapshot, CheckOptions options) {
		String current = Settings.effective(snapshot, Settings.SERVER_VERSION).orElse(null);
		Switch<String> requested = options.targetVersion();
		if (requested != null && requested.value() != null && !requested.value().isBlank()) {
			return new UpgradeTarget(current, requested.value().trim(), requested.setBy());
		}
		return newestVersionObject(snapshot).map(v -> new UpgradeTarget(current, v.name(), NEWEST_VERSION_OBJECT))
			.orElseGet(() -> new UpgradeTarget(current, null, null));
	}

	/** Whether the target is the newest Version object rather than a version someone asked for. */
	public boolean targetFromVersionObject() {
		return NEWEST_VERSION_OBJECT.equals(this.targetSource);
	}

	/** The newest Version object, by the rule above; empty when there is none or the kind cannot be read. */
	static Optional<KubeObject> newestVersionObject(ClusterSnapshot snapshot) {
		if (!snapshot.usable(WatchedKind.VERSIONS)) {
			return Optional.empty();
		}
		List<KubeObject> versions = snapshot.objects(WatchedKind.VERSIONS)
			.stream()
			.filter(v -> HarvesterVersion.isValid(v.name()))
			.toList();
		Optional<KubeObject> newestRelease = versions.stream()
			.map(v -> new Candidate(v, HarvesterVersion.parse(v.name())))
			.filter(c -> !c.version().isDev())
			.sorted(NEWEST_FIRST)
			.map(Candidate::object)
			.findFirst();
		if (newestRelease.isPresent()) {
			return newestRelease;
		}
		return versions.stream().max(Comparator.comparing(KubeObject::name));
	}

	/**
	 * The Version object describing a target: the one of that name, else (for a semantic version) one whose name
	 * is the same version written differently ({@code 1.5.0} for {@code v1.5.0}).
	 */
	static Optional<KubeObject> versionObject(ClusterSnapshot snapshot, String target) {
		List<KubeObject> versions = snapshot.objects(WatchedKind.VERSIONS);
		Optional<KubeObject> byName = versions.stream().filter(v -> target.equals(v.name())).findFirst();
		if (byName.isPresent()) {
			return byName;
		}
		if (!HarvesterVersion.isValid(target) || HarvesterVersion.parse(target).isDev()) {
			return Optional.empty();
		}
		HarvesterVersion wanted = HarvesterVersion.parse(target);
		return versions.stream()
			.filter(v -> HarvesterVersion.isValid(v.name()))
			.filter(v -> HarvesterVersion.parse(v.name()).isSameAs(wanted))
			.findFirst();
	}

	private record Candidate(KubeObject object, HarvesterVersion version) {
	}

}
