package io.harvester.upgradereadiness.check;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Which Harvester an evaluation is about: the running version and the version to upgrade to, resolved once per
 * evaluation (by the report service and the CLI) and handed to every check in {@link CheckContext#versions()}, so
 * that no check reads versions its own way and version-bound rules ({@link VersionGate}) all judge the same ones.
 * <p>
 * The running version is Harvester's setting {@code server-version} (its value, else its default), which the
 * upgrade controller copies into {@code status.previousVersion}. The target is the {@code targetVersion} option when
 * given; otherwise the newest {@code versions.harvesterhci.io} object, which is what Harvester offers in its UI.
 * "Newest" is by semantic-version order of the objects' names; names that are not semantic versions (dev builds
 * such as {@code v1.5-head}) are ignored unless every Version object is a dev build, in which case the greatest name
 * in alphabetical order is taken, so that the choice is at least stable.
 *
 * @param current the running version as written, {@code null} when the snapshot does not say
 * @param target the version to upgrade to as written, {@code null} when there is none
 * @param targetSource where the target comes from: who set {@code targetVersion} (such as
 * {@code request parameter targetVersion}) or {@value #NEWEST_VERSION_OBJECT}; {@code null} without a target
 */
public record HarvesterVersions(String current, String target, String targetSource) {

	public static final String NEWEST_VERSION_OBJECT = "newest versions.harvesterhci.io object";

	/** The field of a Version object that names the oldest version that may upgrade to it. */
	public static final String MIN_UPGRADABLE_VERSION = "spec.minUpgradableVersion";

	private static final HarvesterVersions UNKNOWN = new HarvesterVersions(null, null, null);

	/** Newest first: semantic versions by precedence, ties (such as {@code 1.5.0} and {@code v1.5.0}) by name. */
	private static final Comparator<Candidate> NEWEST_FIRST = ((Comparator<Candidate>) (a, b) -> a.version()
		.compareTo(b.version())).thenComparing(c -> c.object().name()).reversed();

	/** For tests and callers that know the versions; the target source is left unset. */
	public static HarvesterVersions of(String current, String target) {
		return (current == null && target == null) ? UNKNOWN : new HarvesterVersions(current, target, null);
	}

	/** Nothing known: neither version can be read. */
	public static HarvesterVersions unknown() {
		return UNKNOWN;
	}

	/**
	 * Resolves both versions from a snapshot and the evaluation's options. Never fails: an odd setting or Version
	 * object is the checks' to report.
	 */
	public static HarvesterVersions resolve(ClusterSnapshot snapshot, CheckOptions options) {
		String current = snapshot.usable(WatchedKind.SETTINGS)
				? Settings.effective(snapshot, Settings.SERVER_VERSION).map(String::trim).filter(v -> !v.isEmpty())
					.orElse(null)
				: null;
		Switch<String> requested = (options != null) ? options.targetVersion() : null;
		if (requested != null && requested.value() != null && !requested.value().isBlank()) {
			return new HarvesterVersions(current, requested.value().trim(), requested.setBy());
		}
		return newestVersionObject(snapshot)
			.map(v -> new HarvesterVersions(current, v.name(), NEWEST_VERSION_OBJECT))
			.orElseGet(() -> new HarvesterVersions(current, null, null));
	}

	/** Whether the running version is present and a comparable (non-dev) semantic version. */
	public boolean currentKnown() {
		return comparable(this.current).isPresent();
	}

	/** Whether the target is present and a comparable (non-dev) semantic version. */
	public boolean targetKnown() {
		return comparable(this.target).isPresent();
	}

	/** The running version, parsed; empty when absent or a dev build. */
	public Optional<HarvesterVersion> currentVersion() {
		return comparable(this.current);
	}

	/** The target, parsed; empty when absent or a dev build. */
	public Optional<HarvesterVersion> targetVersion() {
		return comparable(this.target);
	}

	/**
	 * Whether the upgrade changes {@code MAJOR.MINOR} (a minor upgrade, such as v1.7.2 to v1.8.0, rather than a
	 * patch); empty when either version is unknown or a dev build.
	 */
	public Optional<Boolean> minorChanges() {
		Optional<HarvesterVersion> from = currentVersion();
		Optional<HarvesterVersion> to = targetVersion();
		if (from.isEmpty() || to.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(!from.get().hasSameMinor(to.get()));
	}

	/** Whether the target is the newest Version object rather than a version someone asked for. */
	public boolean targetFromVersionObject() {
		return NEWEST_VERSION_OBJECT.equals(this.targetSource);
	}

	/**
	 * Why the running version cannot be judged, for findings and the report; empty when it can.
	 */
	public Optional<String> currentUnknownReason() {
		if (this.current == null) {
			return Optional.of("the running version cannot be read (no setting " + Settings.SERVER_VERSION
					+ " with a value in the snapshot)");
		}
		if (!currentKnown()) {
			return Optional.of("the running version " + this.current + " is a development build, not a version "
					+ "that can be compared");
		}
		return Optional.empty();
	}

	/** Whether a string is a Harvester release version: {@code MAJOR.MINOR.PATCH}, optional {@code v} and prerelease. */
	public static boolean isSemanticVersion(String raw) {
		return comparable(raw).isPresent();
	}

	/** The newest Version object, by the rule above; empty when there is none or the kind cannot be read. */
	public static Optional<KubeObject> newestVersionObject(ClusterSnapshot snapshot) {
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
	public static Optional<KubeObject> versionObject(ClusterSnapshot snapshot, String target) {
		if (target == null) {
			return Optional.empty();
		}
		List<KubeObject> versions = snapshot.objects(WatchedKind.VERSIONS);
		Optional<KubeObject> byName = versions.stream().filter(v -> target.equals(v.name())).findFirst();
		if (byName.isPresent()) {
			return byName;
		}
		Optional<HarvesterVersion> wanted = comparable(target);
		if (wanted.isEmpty()) {
			return Optional.empty();
		}
		return versions.stream()
			.filter(v -> HarvesterVersion.isValid(v.name()))
			.filter(v -> HarvesterVersion.parse(v.name()).isSameAs(wanted.get()))
			.findFirst();
	}

	private static Optional<HarvesterVersion> comparable(String raw) {
		if (!HarvesterVersion.isValid(raw)) {
			return Optional.empty();
		}
		HarvesterVersion version = HarvesterVersion.parse(raw);
		return version.isDev() ? Optional.empty() : Optional.of(version);
	}

	private record Candidate(KubeObject object, HarvesterVersion version) {
	}

}
