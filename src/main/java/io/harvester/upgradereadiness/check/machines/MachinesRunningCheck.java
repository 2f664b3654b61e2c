package io.harvester.upgradereadiness.check.machines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Every Cluster API Machine must be in phase {@code Running} (Harvester webhook, HV-14; pre-check script, UH-10).
 * Harvester refuses the upgrade with {@code machine <namespace>/<name> is not running}; we keep that wording so
 * searches for it find this check, and add the phase.
 */
public final class MachinesRunningCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("machines-running", "Machines are Running",
			"machines", Severity.ERROR, true,
			"Every Cluster API Machine (machines.cluster.x-k8s.io, all namespaces; Harvester's are in fleet-local) "
					+ "must be in phase Running. A Machine in any other phase, or with no status, blocks the upgrade.",
			List.of(WatchedKind.MACHINES), "Upgrade webhook since v1.1.2 (HV-14); upgrade-helpers pre-check (UH-10)",
			"v1.1.2");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject machine : snapshot.machines()) {
			String phase = machine.string("status.phase").orElse(null);
			if ("Running".equals(phase)) {
				continue;
			}
			String qualified = machine.ref().qualifiedName();
			String where = (phase == null) ? "it has no status.phase" : "it is in phase " + phase;
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("phase", phase);
			machine.string("status.nodeRef.name").ifPresent(node -> details.put("nodeRef", node));
			machine.string("spec.providerID").ifPresent(id -> details.put("providerID", id));
			findings.add(Finding.of(DEFINITION, "machine-not-running",
					"machine " + qualified + " is not running: " + where,
					"Find out why the machine is not Running: kubectl get machines.cluster.x-k8s.io -n "
							+ machine.namespace() + " " + machine.name() + " -o yaml (status.conditions, "
							+ "status.failureMessage), and compare with kubectl get nodes. A machine left over "
							+ "from a node that no longer exists must be deleted before upgrading.",
					List.of(machine.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
