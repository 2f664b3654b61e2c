package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.check.VersionGate;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Every running VM must have another node whose CPU it can live-migrate to: on clusters of mixed hardware, a VM
 * using the default {@code host-model} CPU can only go to nodes that support its source node's CPU model, and the
 * upgrade's drain of its node stalls at pre-drain with KubeVirt's event {@code NoSuitableNodesForHostModelMigration}
 * (harvester/harvester#7096, still open; #3015, #5603). The static rule, like {@code vms-live-migratable}: does any
 * other schedulable non-witness node satisfy the VMI's CPU constraint ({@link CpuModels})? Whether such a node has
 * room is the drain rehearsal's question, which lists the VMs flagged here as non-migratable.
 * <p>
 * A VMI with no other schedulable node at all is left to {@code vms-live-migratable} ({@code noSchedulableNode}),
 * and the same exemptions apply: a single non-witness node, and {@code restoreVM: true} from v1.6.0.
 */
public final class VmCpuModelCompatibleCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("vm-cpu-model-compatible",
			"VM CPU models fit another node", "vms", Severity.ERROR, true,
			"Every running VirtualMachineInstance must have another schedulable non-witness node that satisfies its "
					+ "CPU: for host-model, the cpu-model-migration.node.kubevirt.io/<model> label its launcher pod "
					+ "requires, else its node's host-model-cpu.node.kubevirt.io/<model>; for an explicit "
					+ "spec.domain.cpu.model, cpu-model.node.kubevirt.io/<model>; and with a target of Harvester "
					+ "v1.9.0 or later (KubeVirt 1.8) the source node's cpu-vendor.node.kubevirt.io/<vendor>.",
			List.of(WatchedKind.VIRTUAL_MACHINE_INSTANCES, WatchedKind.NODES),
			"Ours: the pre-drain stall of harvester/harvester#7096 (open; also #3015, #5603), KubeVirt's "
					+ "NoSuitableNodesForHostModelMigration; no Harvester component checks it",
			null, List.of(WatchedKind.PODS, WatchedKind.SETTINGS));

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		HarvesterVersions versions = context.versions();
		RestoreVmGate gate = VmsLiveMigratableCheck.restoreVmGate(snapshot, versions);
		List<KubeObject> nonWitness = RestoreVmGate.nonWitnessNodes(snapshot);
		Optional<CheckOutcome> exempt = gate.exemption(DEFINITION, nonWitness);
		if (exempt.isPresent()) {
			// An invalid upgrade-config is vms-live-migratable's finding.
			return exempt.get().findings().isEmpty() ? exempt.get() : CheckOutcome.pass();
		}
		List<KubeObject> schedulable = nonWitness.stream().filter(n -> !Nodes.isUnschedulable(n)).toList();
		CpuModels models = CpuModels.of(snapshot);
		VersionGate.Decision vendor = CpuModels.SAME_VENDOR.decide(versions);
		List<Finding> findings = new ArrayList<>();
		// Up to two schedulable nodes that satisfy each distinct constraint: one of them is not the VMI's own. Filtering
		// every node for every VMI made the check quadratic (5 000 nodes with 25 000 VMIs: 4 s per evaluation).
		Map<Map<String, String>, List<String>> allowingNodes = new HashMap<>();
		for (KubeObject vmi : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES)) {
			if (!"Running".equals(vmi.string("status.phase").orElse(null))) {
				continue;
			}
			String node = vmi.string("status.nodeName").orElse(null);
			boolean anyOther = schedulable.size() > 1
					|| (schedulable.size() == 1 && !schedulable.get(0).name().equals(node));
			if (!anyOther) {
				continue;
			}
			CpuModels.Constraint constraint = models.constraint(vmi, versions);
			if (!constraint.constrains()) {
				continue;
			}
			if (constraint.unresolved() == null) {
				List<String> allowing = allowingNodes.computeIfAbsent(constraint.requiredLabels(),
						labels -> firstTwoAllowing(constraint, schedulable));
				if (allowing.stream().anyMatch(n -> !n.equals(node))) {
					continue;
				}
			}
			List<KubeObject> candidates = schedulable.stream().filter(n -> !n.name().equals(node)).toList();
			findings.add(finding(vmi, node, constraint, candidates, vendor, versions, models));
		}
		return CheckOutcome.of(findings);
	}

	private static List<String> firstTwoAllowing(CpuModels.Constraint constraint, List<KubeObject> nodes) {
		List<String> allowing = new ArrayList<>(2);
		for (KubeObject node : nodes) {
			if (constraint.allows(node)) {
				allowing.add(node.name());
				if (allowing.size() == 2) {
					break;
				}
			}
		}
		return allowing;
	}

	private static Finding finding(KubeObject vmi, String node, CpuModels.Constraint constraint,
			List<KubeObject> candidates, VersionGate.Decision vendor, HarvesterVersions versions, CpuModels models) {
		String qualified = vmi.ref().qualifiedName();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("node", node);
		details.put("cpuModel", constraint.model());
		details.put("requiredLabels", constraint.requiredLabels());
		details.put("requiredBy", constraint.from());
		details.put("candidates", candidates.stream().map(KubeObject::name).toList());
		details.put("sameVendorRule", CpuModels.SAME_VENDOR.describe() + ": " + vendor);
		CpuModels.SAME_VENDOR.assumption(versions).ifPresent(a -> details.put("sameVendorAssumed", a));
		models.launcherPod(vmi).ifPresent(pod -> details.put("launcherPod", pod.name()));
		List<ResourceRef> resources = List.of(vmi.ref());
		String stop = "Shut the VM off before the upgrade (Stop in the Harvester UI, or virtctl stop " + vmi.name()
				+ " -n " + vmi.namespace() + ") and start it again afterwards";
		if (constraint.unresolved() != null) {
			return Finding.of(DEFINITION, "host-model-unknown",
					"VM " + qualified + " cannot live-migrate: " + constraint.unresolved(),
					stop + ". KubeVirt's node labeller (virt-handler) writes the host-model labels: check the "
							+ "virt-handler pod on " + node + " (kubectl get pods -n harvester-system -l "
							+ "kubevirt.io=virt-handler -o wide) and the node's labels (kubectl get node " + node
							+ " --show-labels).",
					resources, details);
		}
		return Finding.of(DEFINITION, "no-node-with-cpu-model",
				"VM " + qualified + ": Migration cannot proceed since no node is suitable to run the required CPU "
						+ "model / required features: " + constraint.describe(),
				stop + ", or let it run on more nodes: give it a CPU model every node supports (spec.template.spec."
						+ "domain.cpu.model in the VM, for example a named model all nodes list as "
						+ CpuModels.MODEL_LABEL + "<model>), or set the cluster-wide default CPU model in KubeVirt "
						+ "(kubectl edit kubevirts.kubevirt.io -n harvester-system kubevirt, "
						+ "spec.configuration.cpuModel); nodes of the same CPU generation avoid it.",
				resources, details);
	}

}
