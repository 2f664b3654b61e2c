package io.harvester.upgradereadiness.check;

import java.util.Set;

/**
 * Harvester's switches, as request parameters and configuration properties with the same meaning as Harvester's
 * Upgrade annotations, plus the opt-in checks.
 *
 * @param targetVersion the version to upgrade to; {@code null} means the newest {@code versions.harvesterhci.io}
 * object, if any
 * @param skipSingleReplicaDetachedVol Harvester's {@code harvesterhci.io/skipSingleReplicaDetachedVol}: only
 * active single-replica volumes block
 * @param skipGarbageCollectionThresholdCheck Harvester's {@code harvesterhci.io/skipGarbageCollectionThresholdCheck}
 * @param minCertsExpirationInDay Harvester's {@code harvesterhci.io/minCertsExpirationInDay} (default 7)
 * @param skipVersionCheck Harvester's {@code harvesterhci.io/skip-version-check}
 * @param optIn the opt-in checks that are enabled (such as {@code node-disk-headroom})
 */
public record CheckOptions(Switch<String> targetVersion, Switch<Boolean> skipSingleReplicaDetachedVol,
		Switch<Boolean> skipGarbageCollectionThresholdCheck, Switch<Integer> minCertsExpirationInDay,
		Switch<Boolean> skipVersionCheck, Set<String> optIn) {

	public static final int DEFAULT_MIN_CERTS_EXPIRATION_IN_DAY = 7;

	public CheckOptions {
		optIn = Set.copyOf(optIn);
	}

	/** Harvester's defaults: nothing skipped, certificates must outlive 7 days, no opt-in check enabled. */
	public static CheckOptions defaults() {
		return new CheckOptions(Switch.byDefault(null), Switch.byDefault(false), Switch.byDefault(false),
				Switch.byDefault(DEFAULT_MIN_CERTS_EXPIRATION_IN_DAY), Switch.byDefault(false), Set.of());
	}

	public boolean isOptedIn(String checkId) {
		return this.optIn.contains(checkId);
	}

	public CheckOptions withTargetVersion(Switch<String> value) {
		return new CheckOptions(value, this.skipSingleReplicaDetachedVol, this.skipGarbageCollectionThresholdCheck,
				this.minCertsExpirationInDay, this.skipVersionCheck, this.optIn);
	}

	public CheckOptions withSkipSingleReplicaDetachedVol(Switch<Boolean> value) {
		return new CheckOptions(this.targetVersion, value, this.skipGarbageCollectionThresholdCheck,
				this.minCertsExpirationInDay, this.skipVersionCheck, this.optIn);
	}

	public CheckOptions withSkipGarbageCollectionThresholdCheck(Switch<Boolean> value) {
		return new CheckOptions(this.targetVersion, this.skipSingleReplicaDetachedVol, value,
				this.minCertsExpirationInDay, this.skipVersionCheck, this.optIn);
	}

	public CheckOptions withMinCertsExpirationInDay(Switch<Integer> value) {
		return new CheckOptions(this.targetVersion, this.skipSingleReplicaDetachedVol,
				this.skipGarbageCollectionThresholdCheck, value, this.skipVersionCheck, this.optIn);
	}

	public CheckOptions withSkipVersionCheck(Switch<Boolean> value) {
		return new CheckOptions(this.targetVersion, this.skipSingleReplicaDetachedVol,
				this.skipGarbageCollectionThresholdCheck, this.minCertsExpirationInDay, value, this.optIn);
	}

	public CheckOptions withOptIn(Set<String> value) {
		return new CheckOptions(this.targetVersion, this.skipSingleReplicaDetachedVol,
				this.skipGarbageCollectionThresholdCheck, this.minCertsExpirationInDay, this.skipVersionCheck, value);
	}

}
