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
import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * No Node may be unschedulable (Harvester webhook, HV-13b; pre-check script, UH-06).
 * <p>
 * {@code spec.unschedulable} is set both by a plain {@code kubectl cordon} and by Harvester's maintenance mode;
 * the upgrade drains nodes one by one and needs every other node to take the VMs. Harvester's maintenance mode is
 * told apart by the node annotation {@code harvesterhci.io/maintain-status} ({@code running} while VMs are being
 * migrated away, {@code completed} once they are): it is reported in the details and changes the remediation, as
 * such a node is taken out of maintenance from Harvester, not uncordoned by hand.
 */
public final class NodesSchedulableCheck implements Check {

	static final String MAINTAIN_STATUS_ANNOTATION = "harvesterhci.io/maintain-status";

	static final CheckDefinition DEFINITION = new CheckDefinition("nodes-schedulable", "Nodes are schedulable",
			"nodes", Severity.ERROR, true,
			"No Node may be unschedulable (spec.unschedulable: cordoned, or in Harvester maintenance mode): the "
					+ "upgrade needs every node to take the VMs of the node it drains.",
			List.of(WatchedKind.NODES), "Upgrade webhook since v1.1.2 (HV-13b); upgrade-helpers pre-check (UH-06)",
			"v1.1.2");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject node : snapshot.nodes()) {
			if (!Nodes.isUnschedulable(node)) {
				continue;
			}
			String name = node.name();
			Optional<String> maintainStatus = node.annotation(MAINTAIN_STATUS_ANNOTATION);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("maintenanceMode", maintainStatus.isPresent());
			maintainStatus.ifPresent(status -> details.put("maintainStatus", status));
			String remediation = maintainStatus.isPresent()
					? "Node " + name + " is in Harvester maintenance mode (" + MAINTAIN_STATUS_ANNOTATION + "="
							+ maintainStatus.get() + "). Once the maintenance is over, disable maintenance mode from "
							+ "the Harvester UI (Hosts, then Disable Maintenance Mode on the node), which uncordons "
							+ "the node and clears the annotation; then check kubectl get node " + name + "."
					: "Node " + name + " is cordoned. Once the reason is gone, make it schedulable again: "
							+ "kubectl uncordon " + name + ".";
			findings.add(Finding.of(DEFINITION, "node-unschedulable",
					"node " + name + " is unschedulable, please wait for it to be schedulable", remediation,
					List.of(node.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
