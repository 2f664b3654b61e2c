package io.harvester.upgradereadiness.check.workloads;

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
 * Warns about pods that are not ready (pre-check script, UH-15).
 * <p>
 * The script fails when a pod in any namespace has the condition {@code Ready} with status {@code False} and a
 * reason other than {@code PodCompleted}; the issue table lists it as a warning, and so do we: a crashing
 * add-on or a pending workload pod is worth a look before an upgrade, but Harvester's webhook does not refuse the
 * upgrade for it. Pods in phase {@code Succeeded} (shown as Completed, such as Harvester's helm-install job pods)
 * never count, whatever their Ready condition says. Pods with no Ready condition (not scheduled yet) and pods whose
 * Ready condition is {@code Unknown} are not counted either, as in the script. A Failed pod counts, as its Ready
 * reason is not {@code PodCompleted} ({@code PodFailed} on current Kubernetes).
 */
public final class PodsReadyCheck implements Check {

	static final String SUCCEEDED = "Succeeded";

	static final String POD_COMPLETED = "PodCompleted";

	static final CheckDefinition DEFINITION = new CheckDefinition("pods-ready", "Pods are ready", "workloads",
			Severity.WARNING, false,
			"Warns about every pod, in any namespace, whose Ready condition is False for a reason other than "
					+ "PodCompleted; pods in phase Succeeded (Completed) never count. A support bundle only holds "
					+ "the namespaces it collected, so a check over one sees only those pods.",
			List.of(WatchedKind.PODS), "Not checked by the Upgrade webhook; upgrade-helpers pre-check (UH-15)", null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject pod : snapshot.objects(WatchedKind.PODS)) {
			Optional<String> phase = pod.string("status.phase");
			if (phase.isPresent() && SUCCEEDED.equals(phase.get())) {
				continue;
			}
			Optional<KubeObject.Condition> ready = pod.condition("status.conditions", "Ready");
			if (ready.isEmpty() || !"False".equals(ready.get().status())
					|| POD_COMPLETED.equals(ready.get().reason())) {
				continue;
			}
			findings.add(finding(pod, phase.orElse(null), ready.get()));
		}
		return CheckOutcome.of(findings);
	}

	private static Finding finding(KubeObject pod, String phase, KubeObject.Condition ready) {
		String qualified = pod.ref().qualifiedName();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("phase", phase);
		details.put("reason", ready.reason());
		details.put("conditionMessage", ready.message());
		pod.string("spec.nodeName").ifPresent(node -> details.put("node", node));
		List<String> containers = ContainerStates.notReady(pod);
		if (!containers.isEmpty()) {
			details.put("containers", String.join("; ", containers));
		}
		String inspect = "kubectl describe pod -n " + pod.namespace() + " " + pod.name()
				+ " (Events) and kubectl logs -n " + pod.namespace() + " " + pod.name() + " --all-containers";
		String remediation = "Failed".equals(phase)
				? "The pod has failed and will not be restarted. Find out why with " + inspect
						+ "; if its controller has replaced it, delete the leftover: kubectl delete pod -n "
						+ pod.namespace() + " " + pod.name() + "."
				: "Find out why the pod is not ready with " + inspect + " (add --previous for a crashing "
						+ "container). Fix it, or make sure it does not matter to the upgrade, before upgrading.";
		return Finding.of(DEFINITION, "pod-not-ready", "pod " + qualified + " is not ready: " + ready.describe(),
				remediation, List.of(pod.ref()), details);
	}

}
