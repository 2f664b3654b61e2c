package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Harvester's CAPI cluster {@code fleet-local/local} must be {@code Provisioned} and settled.
 * <p>
 * The webhook (HV-08, since v1.1.0; asked for in harvester/harvester#3391) and the pre-check script (UH-07) refuse
 * an upgrade unless {@code status.phase} is {@code Provisioned}; the webhook fails with a 500 when the cluster
 * cannot be read at all. We add the condition the upgrade itself waits on ({@code upgrade_manifests.sh}
 * {@code wait_capi_cluster}): {@code status.observedGeneration} must equal {@code metadata.generation}, i.e. the
 * CAPI controller has processed the latest change to the cluster. An upgrade started before that waits at
 * "Waiting for CAPI cluster fleet-local/local to be provisioned" (harvester/harvester#3863).
 */
public final class CapiClusterProvisionedCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("capi-cluster-provisioned",
			"CAPI cluster provisioned", "platform", Severity.ERROR, true,
			"The Cluster API cluster fleet-local/local (clusters.cluster.x-k8s.io) must exist, be in phase "
					+ "Provisioned, and have status.observedGeneration equal to metadata.generation (its controller "
					+ "has caught up with its latest change).",
			List.of(WatchedKind.CAPI_CLUSTERS),
			"Upgrade webhook since v1.1.0 (HV-08); upgrade-helpers pre-check (UH-07); the generation rule is what "
					+ "the upgrade waits on (upgrade_manifests.sh wait_capi_cluster)",
			"v1.1.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Optional<KubeObject> found = LocalCluster.find(snapshot);
		if (found.isEmpty()) {
			return CheckOutcome.of(List.of(Finding.of(DEFINITION, "cluster-not-found",
					"can't find " + LocalCluster.QUALIFIED_NAME + " cluster: no clusters.cluster.x-k8s.io "
							+ LocalCluster.QUALIFIED_NAME + " in the snapshot",
					"Harvester's own cluster is managed through this object; without it the upgrade cannot start. "
							+ "Check kubectl get clusters.cluster.x-k8s.io -n fleet-local and kubectl get "
							+ "clusters.provisioning.cattle.io -n fleet-local local -o yaml (the CAPI cluster is "
							+ "owned by it). If the snapshot is a support bundle, check that it holds "
							+ "yamls/namespaced/fleet-local/cluster.x-k8s.io/.",
					List.of(LocalCluster.missingRef(snapshot)), Map.of())));
		}
		KubeObject cluster = found.get();
		String phase = cluster.string("status.phase").orElse(null);
		Long generation = cluster.generation().orElse(null);
		Long observed = cluster.integer("status.observedGeneration").orElse(null);
		List<Finding> findings = new ArrayList<>();
		if (!"Provisioned".equals(phase)) {
			findings.add(Finding.of(DEFINITION, "cluster-not-provisioned",
					"cluster " + LocalCluster.QUALIFIED_NAME + ((phase != null) ? " status is " + phase
							: " has no status.phase") + ", please wait for it to be provisioned",
					"Wait until kubectl get clusters.cluster.x-k8s.io -n fleet-local local shows phase Provisioned. "
							+ "If it does not get there, read status.conditions of that object and of "
							+ "clusters.provisioning.cattle.io fleet-local/local; expired RKE2 certificates are a "
							+ "common cause (rotate them by bumping spec.rkeConfig.rotateCertificates.generation).",
					List.of(cluster.ref()), details(phase, generation, observed)));
		}
		if (generation != null && !generation.equals(observed)) {
			findings.add(Finding.of(DEFINITION, "cluster-generation-not-observed",
					"cluster " + LocalCluster.QUALIFIED_NAME + " is at generation " + generation + ", but "
							+ ((observed != null) ? "its status.observedGeneration is " + observed
									: "it has no status.observedGeneration")
							+ ": the CAPI controller has not processed its latest change",
					"Wait for the CAPI controller to reconcile the cluster (the upgrade itself waits for this). If "
							+ "it does not catch up, check that the cluster is not paused (spec.paused) and read the "
							+ "CAPI controller's log: kubectl logs -n cattle-provisioning-capi-system "
							+ "deploy/capi-controller-manager.",
					List.of(cluster.ref()), details(phase, generation, observed)));
		}
		return CheckOutcome.of(findings);
	}

	private static Map<String, Object> details(String phase, Long generation, Long observed) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", phase);
		details.put("generation", generation);
		details.put("observedGeneration", observed);
		return details;
	}

}
