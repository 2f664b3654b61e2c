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
 * Warns about Nodes under memory, disk or PID pressure. Harvester checks none of this; we add it because a node
 * under pressure is one where the kubelet evicts pods and refuses new ones, and an upgrade loads new images,
 * starts upgrade jobs on every node and live-migrates VMs onto the nodes that stay up. A node under
 * {@code DiskPressure} is also likely to fail Harvester's own disk-headroom rule (HV-13c).
 * <p>
 * One finding per node and condition, so that each has its own stable id. Only {@code True} counts: a condition
 * that is {@code Unknown} comes from a node that stopped reporting, which is {@code nodes-ready}'s business.
 */
public final class NodePressureCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("node-pressure", "Nodes are not under pressure",
			"nodes", Severity.WARNING, false,
			"Warns when a Node reports MemoryPressure, DiskPressure or PIDPressure as True: the kubelet is evicting "
					+ "pods there and will refuse new ones, which the upgrade's jobs, image loading and VM "
					+ "migrations need.",
			List.of(WatchedKind.NODES), "Not checked by Harvester (ours)", null);

	/** The pressure conditions, in the order findings are reported for one node. */
	enum Pressure {

		MEMORY("MemoryPressure", "memory-pressure", "memory",
				"Free memory on the node: stop or migrate VMs away from it, and check with kubectl top node and "
						+ "kubectl describe node %s (Allocated resources)."),
		DISK("DiskPressure", "disk-pressure", "disk",
				"Free disk space on the node (the kubelet's root file system, /usr/local on Harvester, and the "
						+ "image file system): remove unused images with crictl rmi --prune on the host and check "
						+ "kubectl describe node %s. The upgrade needs room for its new images."),
		PID("PIDPressure", "pid-pressure", "PID",
				"Find the processes exhausting PIDs on the node (ps on the host) and stop them; check kubectl "
						+ "describe node %s.");

		final String type;

		final String rule;

		final String resource;

		final String remediation;

		Pressure(String type, String rule, String resource, String remediation) {
			this.type = type;
			this.rule = rule;
			this.resource = resource;
			this.remediation = remediation;
		}

	}

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject node : snapshot.nodes()) {
			for (Pressure pressure : Pressure.values()) {
				Optional<KubeObject.Condition> condition = NodeConditions.find(node, pressure.type);
				if (condition.isEmpty() || !condition.get().isTrue()) {
					continue;
				}
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("condition", pressure.type);
				if (condition.get().reason() != null) {
					details.put("reason", condition.get().reason());
				}
				if (condition.get().message() != null) {
					details.put("conditionMessage", condition.get().message());
				}
				findings.add(Finding.of(DEFINITION, pressure.rule,
						"node " + node.name() + " is under " + pressure.resource + " pressure: "
								+ condition.get().describe(),
						String.format(pressure.remediation, node.name()), List.of(node.ref()), details));
			}
		}
		return CheckOutcome.of(findings);
	}

}
