package io.harvester.upgradereadiness.check;

import java.time.Instant;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;

/**
 * What a check may know besides the snapshot: the time of evaluation, whether the snapshot is live (some checks
 * only apply to a live cluster), the request's options and which Harvester the evaluation is about.
 *
 * @param now the time of evaluation
 * @param live whether the snapshot comes from a live cluster (false for files)
 * @param options Harvester's switches and the opt-in checks
 * @param versions the running and target versions, resolved once per evaluation; never {@code null}
 */
public record CheckContext(Instant now, boolean live, CheckOptions options, HarvesterVersions versions) {

	public CheckContext {
		if (versions == null) {
			versions = HarvesterVersions.unknown();
		}
	}

	/** A context that knows neither version (version-bound rules are then assumed in force). */
	public CheckContext(Instant now, boolean live, CheckOptions options) {
		this(now, live, options, HarvesterVersions.unknown());
	}

	public static CheckContext of(Instant now, boolean live) {
		return new CheckContext(now, live, CheckOptions.defaults());
	}

	/** The context for one evaluation of a snapshot: the versions resolved from it and the options. */
	public static CheckContext forSnapshot(ClusterSnapshot snapshot,
			Instant now, CheckOptions options) {
		return new CheckContext(now, snapshot.live(), options, HarvesterVersions.resolve(snapshot, options));
	}

}
