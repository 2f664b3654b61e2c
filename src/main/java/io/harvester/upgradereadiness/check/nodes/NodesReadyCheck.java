package io.harvester.upgradereadiness.check.nodes;

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
 * Every Node must carry the condition {@code Ready=True} (Harvester webhook, HV-13a; pre-check script, UH-06).
 * <p>
 * The webhook looks only at a Ready condition that is there: a node with no Ready condition at all passes it. The
 * pre-check script requires a {@code Ready} condition whose status is {@code True}, so such a node fails there; we
 * side with the script, as a node whose kubelet never reported is not one an upgrade can drain and reboot. The
 * message keeps the webhook's wording, followed by the condition as the kubelet reported it.
 */
public final class NodesReadyCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("nodes-ready", "Nodes are Ready", "nodes",
			Severity.ERROR, true,
			"Every Node must have the condition Ready=True. A node whose Ready condition is False or Unknown blocks "
					+ "the upgrade, and so does a node with no Ready condition at all (Harvester's webhook lets that "
					+ "one pass, its pre-check script does not).",
			List.of(WatchedKind.NODES), "Upgrade webhook since v1.1.2 (HV-13a); upgrade-helpers pre-check (UH-06)",
			"v1.1.2");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject node : snapshot.nodes()) {
			Optional<KubeObject.Condition> ready = NodeConditions.find(node, NodeConditions.READY);
			if (ready.isPresent() && ready.get().isTrue()) {
				continue;
			}
			String name = node.name();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", ready.map(KubeObject.Condition::status).orElse(null));
			ready.map(KubeObject.Condition::reason).ifPresent(reason -> details.put("reason", reason));
			ready.map(KubeObject.Condition::message).ifPresent(message -> details.put("conditionMessage", message));
			findings.add(Finding.of(DEFINITION, "node-not-ready",
					"node " + name + " is not ready, please wait for it to be ready: "
							+ ready.map(NodeConditions::describe).orElse("it has no Ready condition"),
					"Find out why the node is not ready: kubectl describe node " + name + " (Conditions, Events). "
							+ "On the host, check the RKE2 service (systemctl status rke2-server, or rke2-agent on a "
							+ "worker) and the kubelet log (/var/lib/rancher/rke2/agent/logs/kubelet.log). Upgrade "
							+ "only once the node is Ready again; a node that is gone for good must be removed "
							+ "from the cluster first.",
					List.of(node.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
