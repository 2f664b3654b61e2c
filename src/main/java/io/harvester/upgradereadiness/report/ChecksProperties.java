package io.harvester.upgradereadiness.report;

import java.util.LinkedHashSet;
import java.util.Set;

import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.Switch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Harvester's switches as configuration, with the meaning of Harvester's Upgrade annotations; a request parameter
 * of the same name overrides them for one request.
 *
 * @param targetVersion the version to evaluate an upgrade to; unset: the newest versions.harvesterhci.io object
 * @param skipSingleReplicaDetachedVol as {@code harvesterhci.io/skipSingleReplicaDetachedVol}: only active
 * single-replica volumes block
 * @param skipGarbageCollectionThresholdCheck as {@code harvesterhci.io/skipGarbageCollectionThresholdCheck}
 * @param minCertsExpirationInDay as {@code harvesterhci.io/minCertsExpirationInDay}
 * @param skipVersionCheck as {@code harvesterhci.io/skip-version-check}
 * @param nodeDiskHeadroom the opt-in node-disk-headroom check (needs {@code nodes/proxy})
 */
@ConfigurationProperties("upgrade-readiness.checks")
public record ChecksProperties(String targetVersion, @DefaultValue("false") boolean skipSingleReplicaDetachedVol,
		@DefaultValue("false") boolean skipGarbageCollectionThresholdCheck,
		@DefaultValue("7") int minCertsExpirationInDay, @DefaultValue("false") boolean skipVersionCheck,
		@DefaultValue NodeDiskHeadroom nodeDiskHeadroom) {

	static final String PREFIX = "configuration property upgrade-readiness.checks.";

	public ChecksProperties {
		if (minCertsExpirationInDay <= 0) {
			throw new IllegalArgumentException(
					"upgrade-readiness.checks.min-certs-expiration-in-day must be greater than 0, got "
							+ minCertsExpirationInDay);
		}
	}

	/**
	 * The opt-in disk headroom check.
	 *
	 * @param enabled whether to read every node's kubelet summary through the API server's node proxy
	 */
	public record NodeDiskHeadroom(@DefaultValue("false") boolean enabled) {
	}

	/** The configured options; a value left at Harvester's default says "default" as who set it. */
	CheckOptions toOptions() {
		CheckOptions options = CheckOptions.defaults();
		if (this.targetVersion != null && !this.targetVersion.isBlank()) {
			options = options.withTargetVersion(new Switch<>(this.targetVersion.trim(), PREFIX + "target-version"));
		}
		if (this.skipSingleReplicaDetachedVol) {
			options = options
				.withSkipSingleReplicaDetachedVol(new Switch<>(true, PREFIX + "skip-single-replica-detached-vol"));
		}
		if (this.skipGarbageCollectionThresholdCheck) {
			options = options.withSkipGarbageCollectionThresholdCheck(
					new Switch<>(true, PREFIX + "skip-garbage-collection-threshold-check"));
		}
		if (this.minCertsExpirationInDay != CheckOptions.DEFAULT_MIN_CERTS_EXPIRATION_IN_DAY) {
			options = options.withMinCertsExpirationInDay(
					new Switch<>(this.minCertsExpirationInDay, PREFIX + "min-certs-expiration-in-day"));
		}
		if (this.skipVersionCheck) {
			options = options.withSkipVersionCheck(new Switch<>(true, PREFIX + "skip-version-check"));
		}
		Set<String> optIn = new LinkedHashSet<>();
		if (this.nodeDiskHeadroom.enabled()) {
			optIn.add("node-disk-headroom");
		}
		return options.withOptIn(optIn);
	}

}
