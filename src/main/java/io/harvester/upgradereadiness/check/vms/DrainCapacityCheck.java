package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.HashMap;
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
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.rehearsal.Rehearsal;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NotPlaced;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NotPlacedVerdict;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Reason;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Step;
import io.harvester.upgradereadiness.rehearsal.RehearsalInput;
import io.harvester.upgradereadiness.rehearsal.Rehearsals;

/**
 * Every VM must find a node while the upgrade drains the nodes one by one: the findings of the drain rehearsal
 * ({@link Rehearsals}, memoised per snapshot and shared with {@code GET /api/v1/upgrade-rehearsal}). Nothing in
 * Harvester checks this (harvester/harvester#4926): a migration target pod that fits no node makes KubeVirt give up
 * after 5 minutes, and then Harvester v1.7+ shuts the VM down and does not restart it, while v1.6 and older stall in
 * Pre-draining.
 */
public final class DrainCapacityCheck implements Check {

	static final String DOES_NOT_FIT = "does-not-fit";

	static final String SOME_ORDERS = "fits-only-in-some-orders";

	static final String LOW_HEADROOM = "low-headroom";

	static final String SINGLE_NODE = "single-node";

	/** Below this share of its memory free after a step, the fullest candidate node leaves no margin. */
	static final int LOW_HEADROOM_PERCENT = 10;

	private static final int FIRST_REASONS = 3;

	static final CheckDefinition DEFINITION = new CheckDefinition("drain-capacity",
			"Every VM finds a node while the nodes drain", "vms", Severity.ERROR, true,
			"Replays the upgrade's node-by-node drain in Rancher's order (init node, etcd, control-plane, workers, "
					+ "each by Machine name) with the scheduler's filters and scoring over the launcher pods' "
					+ "requests and the nodes' free capacity, and reports every running VM whose migration target pod "
					+ "fits no node (does-not-fit), fits only if the VMs move in another order, and the steps after "
					+ "which the fullest node has less than 10 % of its memory free. A single-node cluster gets an "
					+ "INFO finding: nothing can migrate.",
			List.of(WatchedKind.NODES, WatchedKind.PODS, WatchedKind.VIRTUAL_MACHINE_INSTANCES),
			"Not checked by Harvester (harvester/harvester#4926): the webhook (HV-17) only asks whether a VM may "
					+ "move, never whether it fits",
			null, List.of(WatchedKind.MACHINES, WatchedKind.SETTINGS, WatchedKind.VIRTUAL_MACHINES));

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		if (snapshot.nodes().stream().noneMatch(n -> n.value("status.allocatable").isPresent())) {
			return CheckOutcome.unknown("no node carries status.allocatable: the free capacity cannot be known");
		}
		RehearsalInput input = RehearsalInput.of(context.versions(), null);
		Rehearsal rehearsal = Rehearsals.of(snapshot, input);
		Map<String, ResourceRef> nodes = new HashMap<>();
		snapshot.nodes().forEach(n -> nodes.put(n.name(), n.ref()));
		Map<String, ResourceRef> vms = new HashMap<>();
		if (snapshot.usable(WatchedKind.VIRTUAL_MACHINES)) {
			for (KubeObject vm : snapshot.objects(WatchedKind.VIRTUAL_MACHINES)) {
				vms.put(vm.namespace() + "/" + vm.name(), vm.ref());
			}
		}
		for (KubeObject vmi : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES)) {
			vms.putIfAbsent(vmi.namespace() + "/" + vmi.name(), vmi.ref());
		}
		List<Finding> findings = new ArrayList<>();
		int total = rehearsal.steps().size();
		if (rehearsal.singleNode()) {
			findings.add(singleNode(rehearsal, nodes));
			return CheckOutcome.of(findings);
		}
		// the running version's webhook writes the node-upgrade pause map from v1.7.0
		boolean canPause = input.currentAtLeast(1, 7).orElse(false);
		for (Step step : rehearsal.steps()) {
			for (NotPlaced vm : step.notPlaced()) {
				findings.add(notPlaced(step, total, vm, vms, nodes, canPause));
			}
			Rehearsal.Headroom headroom = step.headroom();
			if (!step.hypothetical() && !step.placed().isEmpty() && headroom != null
					&& headroom.memoryFreePercent() < LOW_HEADROOM_PERCENT) {
				findings.add(lowHeadroom(step, total, headroom, nodes));
			}
		}
		return CheckOutcome.of(findings);
	}

	private static Finding notPlaced(Step step, int total, NotPlaced vm, Map<String, ResourceRef> vms,
			Map<String, ResourceRef> nodes, boolean canPause) {
		List<ResourceRef> resources = new ArrayList<>();
		if (vms.containsKey(vm.vm())) {
			resources.add(vms.get(vm.vm()));
		}
		resources.add(nodes.get(step.node()));
		String needs = String.join(", ", vm.requests().entrySet().stream()
			.filter(e -> e.getKey().equals("cpu") || e.getKey().equals("memory"))
			.map(e -> e.getKey() + " " + e.getValue())
			.toList());
		List<String> first = vm.reasons().stream()
			.filter(r -> r.node() == null || !r.node().equals(step.node()))
			.limit(FIRST_REASONS)
			.map(r -> (r.node() != null ? r.node() + ": " : "") + r.reason())
			.toList();
		String where = "node " + step.node() + " is drained (step " + step.step() + " of " + total + ")";
		String hypothetical = step.hypothetical()
				? " (hypothetical: the upgrade would already have stalled at an earlier step)" : "";
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("vm", vm.vm());
		details.put("step", step.step());
		details.put("node", step.node());
		details.put("requests", vm.requests());
		details.put("verdict", vm.verdict().name());
		details.put("reasons", vm.reasons().stream().map(DrainCapacityCheck::reason).toList());
		details.put("consequence", vm.consequence());
		details.put("hypothetical", step.hypothetical());
		String[] name = vm.vm().split("/", 2);
		if (vm.verdict() == NotPlacedVerdict.DOES_NOT_FIT) {
			String message = "VM " + vm.vm() + " (needs " + needs + ") cannot be placed when " + where + hypothetical
					+ ": " + String.join("; ", first) + ". " + vm.consequence();
			String remediation = "Make room for it before the upgrade reaches node " + step.node() + ": stop or "
					+ "remove other VMs, lower this VM's CPU or memory, add a node, or uncordon one; or shut "
					+ vm.vm() + " down for the upgrade (virtctl stop " + name[1] + " -n " + name[0] + ") and start it "
					+ "again afterwards. GET /api/v1/upgrade-rehearsal shows every step.";
			return Finding.of(DEFINITION, DOES_NOT_FIT, message, remediation, resources, details);
		}
		String message = "VM " + vm.vm() + " (needs " + needs + ") fits when " + where + hypothetical
				+ " only if the VMs move in another order than their creation order: " + String.join("; ", first);
		String remediation = "Live-migrate " + vm.vm() + " by hand before the upgrade reaches node " + step.node()
				+ " (virtctl migrate " + name[1] + " -n " + name[0] + "), so that it moves before the smaller VMs take "
				+ "the room it needs"
				+ (canPause ? "; or set upgrade-config nodeUpgradeOption.strategy.mode: manual with pauseNodes: ["
						+ step.node() + "] and migrate it while the upgrade waits before that node." : ".");
		return Finding.of(DEFINITION, SOME_ORDERS, Severity.WARNING, false, message, remediation, resources, details);
	}

	private static Finding lowHeadroom(Step step, int total, Rehearsal.Headroom headroom,
			Map<String, ResourceRef> nodes) {
		List<ResourceRef> resources = new ArrayList<>();
		resources.add(nodes.get(headroom.node()));
		if (!headroom.node().equals(step.node())) {
			resources.add(nodes.get(step.node()));
		}
		String message = "After node " + step.node() + " is drained (step " + step.step() + " of " + total + "), node "
				+ headroom.node() + " has " + headroom.memoryFree() + " of its " + headroom.memoryAllocatable()
				+ " memory free (" + headroom.memoryFreePercent() + " %, under " + LOW_HEADROOM_PERCENT
				+ " %): the migrations fit, but leave no margin";
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("step", step.step());
		details.put("drainedNode", step.node());
		details.put("node", headroom.node());
		details.put("memoryFree", headroom.memoryFree());
		details.put("memoryAllocatable", headroom.memoryAllocatable());
		details.put("memoryFreePercent", headroom.memoryFreePercent());
		return Finding.of(DEFINITION, LOW_HEADROOM, Severity.WARNING, false, message,
				"Free memory on the cluster before the upgrade (stop VMs that are not needed, or add a node), so that "
						+ "a VM that grows, or a node that fails during the upgrade, still finds room.",
				resources, details);
	}

	private static Finding singleNode(Rehearsal rehearsal, Map<String, ResourceRef> nodes) {
		Step step = rehearsal.steps().stream().filter(s -> !s.nonMigratable().isEmpty()).findFirst()
			.orElse(null);
		String node = (step != null) ? step.node()
				: rehearsal.steps().stream().map(Step::node).filter(nodes::containsKey).findFirst().orElse("");
		int vms = (step != null) ? step.nonMigratable().size() : 0;
		boolean restore = rehearsal.restoreVM().value();
		String message = "Only one non-witness node (" + node + "): no VM can live-migrate; the upgrade stops the "
				+ vms + " running VM" + (vms == 1 ? "" : "s") + " and restarts "
				+ (vms == 1 ? "it" : "them") + " afterwards only with restoreVM (restoreVM is " + restore + ")";
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("node", node);
		details.put("runningVMs", vms);
		details.put("restoreVM", restore);
		details.put("restoreVMFrom", rehearsal.restoreVM().from());
		List<ResourceRef> resources = nodes.containsKey(node) ? List.of(nodes.get(node)) : List.of();
		return Finding.of(DEFINITION, SINGLE_NODE, Severity.INFO, false, message,
				"Plan the downtime of every running VM. To have them started again after the upgrade, set restoreVM: "
						+ "true in the upgrade-config setting (Harvester v1.4.0 and later on a single node).",
				resources, details);
	}

	private static Map<String, String> reason(Reason reason) {
		Map<String, String> map = new LinkedHashMap<>();
		if (reason.node() != null) {
			map.put("node", reason.node());
		}
		map.put("reason", reason.reason());
		return map;
	}

}
