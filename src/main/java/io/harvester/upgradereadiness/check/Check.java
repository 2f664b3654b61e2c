package io.harvester.upgradereadiness.check;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;

/**
 * One readiness rule: a pure function of a snapshot. It never does I/O; a check that throws is reported as
 * {@link CheckStatus#ERROR} and the other checks still run.
 */
public interface Check {

	CheckDefinition definition();

	/**
	 * Evaluates the rule. Called only when every kind in {@link CheckDefinition#reads()} is present and synced.
	 * @param snapshot the cluster
	 * @param context the time, the mode and the request's options
	 */
	CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context);

}
