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
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Rancher's provisioning cluster {@code clusters.provisioning.cattle.io fleet-local/local} must report
 * {@code status.ready: true}. This is what Harvester's Upgrade Manager (upgrade-toolkit, UT-01) checks where the
 * Upgrade webhook checks the CAPI phase ({@code capi-cluster-provisioned}): the provisioning cluster owns the CAPI
 * cluster and turns not ready while RKE2 is being reconfigured, certificates are rotated or a node is joining, all
 * of which an upgrade must not race with. The messages keep upgrade-toolkit's wording, followed by what the
 * cluster says.
 */
public final class ProvisioningClusterReadyCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("provisioning-cluster-ready",
			"Provisioning cluster ready", "platform", Severity.ERROR, true,
			"Rancher's provisioning cluster fleet-local/local (clusters.provisioning.cattle.io) must exist and have "
					+ "status.ready: true.",
			List.of(WatchedKind.PROVISIONING_CLUSTERS),
			"Upgrade Manager (upgrade-toolkit) UpgradePlan webhook (UT-01); the Upgrade webhook checks the CAPI "
					+ "cluster's phase instead (see capi-cluster-provisioned)",
			null);

	private static final List<String> POSITIVE = List.of("Ready", "Provisioned", "Updated", "Connected");

	private static final List<String> NEGATIVE = List.of("Stalled", "Reconciling");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Optional<KubeObject> found = snapshot.objects(WatchedKind.PROVISIONING_CLUSTERS)
			.stream()
			.filter(c -> LocalCluster.NAMESPACE.equals(c.namespace()) && LocalCluster.NAME.equals(c.name()))
			.findFirst();
		if (found.isEmpty()) {
			String apiVersion = snapshot.status(WatchedKind.PROVISIONING_CLUSTERS).apiVersion();
			ResourceRef missing = new ResourceRef(
					(apiVersion != null) ? apiVersion : WatchedKind.PROVISIONING_CLUSTERS.defaultApiVersion(),
					WatchedKind.PROVISIONING_CLUSTERS.kind(), LocalCluster.NAMESPACE, LocalCluster.NAME);
			return CheckOutcome.of(List.of(Finding.of(DEFINITION, "cluster-not-found",
					"cluster not found: no clusters.provisioning.cattle.io " + LocalCluster.QUALIFIED_NAME
							+ " in the snapshot",
					"Harvester's own cluster is managed through this object; the Upgrade Manager refuses to start "
							+ "without it. Check kubectl get clusters.provisioning.cattle.io -n fleet-local. If the "
							+ "snapshot is a support bundle, check that it holds "
							+ "yamls/namespaced/fleet-local/provisioning.cattle.io/.",
					List.of(missing), Map.of())));
		}
		KubeObject cluster = found.get();
		Optional<Boolean> ready = cluster.bool("status.ready");
		if (ready.orElse(false)) {
			return CheckOutcome.pass();
		}
		// Rancher's conditions that say why: the positive ones when not True, the kstatus ones (False when all is
		// well) when True.
		List<String> notTrue = new ArrayList<>();
		for (String type : POSITIVE) {
			cluster.condition("status.conditions", type)
				.filter(c -> !c.isTrue())
				.ifPresent(c -> notTrue.add(c.describe()));
		}
		for (String type : NEGATIVE) {
			cluster.condition("status.conditions", type).filter(KubeObject.Condition::isTrue)
				.ifPresent(c -> notTrue.add(c.describe()));
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("ready", ready.orElse(null));
		details.put("conditions", notTrue);
		String state = ready.isPresent() ? "status.ready is false" : "it has no status.ready";
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, "cluster-not-ready",
				"cluster is not ready: clusters.provisioning.cattle.io " + LocalCluster.QUALIFIED_NAME + " " + state
						+ (notTrue.isEmpty() ? "" : " (" + String.join("; ", notTrue) + ")"),
				"Wait until kubectl get clusters.provisioning.cattle.io -n fleet-local local shows READY true. If it "
						+ "stays false, read its status.conditions (kubectl get clusters.provisioning.cattle.io -n "
						+ "fleet-local local -o yaml) and the Rancher log (kubectl logs -n cattle-system "
						+ "deploy/rancher); a node still joining, an RKE2 reconfiguration or a certificate rotation in "
						+ "progress are the usual causes.",
				List.of(cluster.ref()), details)));
	}

}
