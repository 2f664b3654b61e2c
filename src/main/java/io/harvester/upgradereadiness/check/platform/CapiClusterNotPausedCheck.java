package io.harvester.upgradereadiness.check.platform;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Harvester's CAPI cluster {@code fleet-local/local} must not be paused.
 * <p>
 * A paused cluster ({@code spec.paused: true}) is not reconciled, so the upgrade stalls while it waits for the
 * cluster (harvester/harvester#8518). The pre-check script checks it since harvester/harvester#10713 (UH-08); the
 * webhook does not. When the cluster itself is missing, {@code capi-cluster-provisioned} reports it and this check
 * cannot say anything.
 */
public final class CapiClusterNotPausedCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("capi-cluster-not-paused",
			"CAPI cluster not paused", "platform", Severity.ERROR, true,
			"The Cluster API cluster fleet-local/local (clusters.cluster.x-k8s.io) must not have spec.paused set: "
					+ "a paused cluster is not reconciled and the upgrade stalls waiting for it.",
			List.of(WatchedKind.CAPI_CLUSTERS),
			"upgrade-helpers pre-check (UH-08, harvester/harvester#10713); not enforced by the Upgrade webhook",
			null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Optional<KubeObject> found = LocalCluster.find(snapshot);
		if (found.isEmpty()) {
			return CheckOutcome.unknown("no clusters.cluster.x-k8s.io " + LocalCluster.QUALIFIED_NAME
					+ " in the snapshot (capi-cluster-provisioned reports it)");
		}
		KubeObject cluster = found.get();
		if (!cluster.bool("spec.paused").orElse(false)) {
			return CheckOutcome.pass();
		}
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, "cluster-paused",
				"CAPI cluster is paused. The upgrade will stall until 'spec.paused' is cleared on "
						+ "clusters.cluster.x-k8s.io/local in namespace fleet-local.",
				"Find out who paused it and why (an interrupted upgrade or a Rancher operation), then clear it: "
						+ "kubectl patch clusters.cluster.x-k8s.io local -n fleet-local --type merge "
						+ "-p '{\"spec\":{\"paused\":false}}'.",
				List.of(cluster.ref()), Map.of("paused", true))));
	}

}
