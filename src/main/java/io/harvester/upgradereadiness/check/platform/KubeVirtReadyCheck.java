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
 * KubeVirt must be available and not degraded before an upgrade: the upgrade drains every node by live-migrating
 * its VMs, and virt-controller does not start migrations while the KubeVirt install is broken. Harvester's v1.7 →
 * v1.8 upgrade notes describe the case (harvester/harvester#10447): the KubeVirt CR stays {@code Available=False}
 * and the upgrade stalls at pre-drain. No Harvester component checks it before an upgrade.
 * <p>
 * virt-operator keeps three conditions on the CR: {@code Available}, {@code Progressing} and {@code Degraded}.
 * {@code Available} must be {@code True} and {@code Degraded} must not be {@code True}; {@code Progressing} alone
 * (a configuration change being rolled out) is not a problem.
 */
public final class KubeVirtReadyCheck implements Check {

	static final String NAMESPACE = "harvester-system";

	static final CheckDefinition DEFINITION = new CheckDefinition("kubevirt-ready", "KubeVirt available",
			"platform", Severity.ERROR, true,
			"The KubeVirt CR (kubevirts.kubevirt.io) in harvester-system must have the condition Available=True and "
					+ "must not have Degraded=True; otherwise live migrations, hence the upgrade's node drains, fail.",
			List.of(WatchedKind.KUBEVIRTS),
			"Ours: the failure described in Harvester's v1.7 to v1.8 upgrade notes (harvester/harvester#10447); no "
					+ "Harvester component checks it",
			null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<KubeObject> kubevirts = snapshot.objects(WatchedKind.KUBEVIRTS)
			.stream()
			.filter(k -> NAMESPACE.equals(k.namespace()))
			.toList();
		if (kubevirts.isEmpty()) {
			String apiVersion = snapshot.status(WatchedKind.KUBEVIRTS).apiVersion();
			ResourceRef missing = new ResourceRef(
					(apiVersion != null) ? apiVersion : WatchedKind.KUBEVIRTS.defaultApiVersion(),
					WatchedKind.KUBEVIRTS.kind(), NAMESPACE, "kubevirt");
			return CheckOutcome.of(List.of(Finding.of(DEFINITION, "kubevirt-not-found",
					"no kubevirts.kubevirt.io in " + NAMESPACE + ": KubeVirt is not installed as Harvester installs it",
					"Harvester deploys KubeVirt through its harvester ManagedChart as harvester-system/kubevirt. Check "
							+ "kubectl get kubevirts.kubevirt.io -A and the harvester chart: kubectl get "
							+ "managedcharts.management.cattle.io -n fleet-local harvester -o yaml.",
					List.of(missing), Map.of())));
		}
		List<Finding> findings = new ArrayList<>();
		for (KubeObject kubevirt : kubevirts) {
			Optional<KubeObject.Condition> available = kubevirt.condition("status.conditions", "Available");
			Optional<KubeObject.Condition> degraded = kubevirt.condition("status.conditions", "Degraded");
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("phase", kubevirt.string("status.phase").orElse(null));
			details.put("observedKubeVirtVersion", kubevirt.string("status.observedKubeVirtVersion").orElse(null));
			details.put("available", available.map(KubeObject.Condition::status).orElse(null));
			details.put("degraded", degraded.map(KubeObject.Condition::status).orElse(null));
			String name = kubevirt.ref().qualifiedName();
			String remediation = "Find out why KubeVirt is not healthy: kubectl get kubevirts.kubevirt.io -n "
					+ NAMESPACE + " " + kubevirt.name() + " -o yaml (status.conditions), kubectl get pods -n "
					+ NAMESPACE + " -l 'kubevirt.io in (virt-api,virt-controller,virt-handler,virt-operator)' and "
					+ "kubectl logs -n " + NAMESPACE + " deploy/virt-operator. Harvester's v1.7 to v1.8 upgrade notes "
					+ "(#10447) describe virt-handler pods without the kubevirt.io/install-strategy annotations: "
					+ "deleting those pods lets the DaemonSet recreate them.";
			if (available.isEmpty() || !available.get().isTrue()) {
				findings.add(Finding.of(DEFINITION, "kubevirt-not-available",
						"kubevirt " + name + " is not available: "
								+ available.map(KubeObject.Condition::describe).orElse("it has no Available condition"),
						remediation, List.of(kubevirt.ref()), details));
			}
			if (degraded.isPresent() && degraded.get().isTrue()) {
				findings.add(Finding.of(DEFINITION, "kubevirt-degraded",
						"kubevirt " + name + " is degraded: " + degraded.get().describe(), remediation,
						List.of(kubevirt.ref()), details));
			}
		}
		return CheckOutcome.of(findings);
	}

}
