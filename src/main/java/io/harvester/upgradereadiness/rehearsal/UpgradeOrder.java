package io.harvester.upgradereadiness.rehearsal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * The order in which the upgrade drains the nodes, as Rancher's planner picks it once Harvester sets both
 * concurrencies to 1 ({@code rancher/rancher pkg/capr/planner}): the init node (Machine label
 * {@code rke.cattle.io/init-node}), then the other etcd machines, then the control-plane ones, then the
 * workers; each tier by CAPI Machine name, each tier finished before the next. Machine names are unrelated to
 * node names, so they are read from the Machines; without Machines the order falls back to the nodes' role
 * labels and names, and is only approximate.
 */
final class UpgradeOrder {

	static final String MACHINES = "machines";

	static final String NODE_NAMES = "node-names";

	static final String INIT = "init";

	static final String ETCD = "etcd";

	static final String CONTROL_PLANE = "control-plane";

	static final String WORKER = "worker";

	private static final List<String> TIERS = List.of(INIT, ETCD, CONTROL_PLANE, WORKER);

	private UpgradeOrder() {
	}

	/** One node's turn: its node index, its Machine (when known) and its tier. */
	record Entry(int node, String machine, String tier) {
	}

	/**
	 * @param entries every node, in upgrade order
	 * @param source {@code machines} or {@code node-names}
	 * @param withoutMachine nodes no Machine points to, placed by their role labels after those with one
	 */
	record Order(List<Entry> entries, String source, List<String> withoutMachine) {
	}

	static Order of(ClusterSnapshot snapshot, Model model) {
		Map<String, KubeObject> machineOfNode = new HashMap<>();
		if (snapshot.usable(WatchedKind.MACHINES)) {
			for (KubeObject machine : snapshot.machines()) {
				if (machine.isBeingDeleted()) {
					continue;
				}
				machine.string("status.nodeRef.name").ifPresent(node -> machineOfNode.merge(node, machine,
						(a, b) -> a.name().compareTo(b.name()) <= 0 ? a : b));
			}
		}
		boolean anyMachine = false;
		for (Model.Node node : model.nodes) {
			anyMachine |= machineOfNode.containsKey(node.name());
		}
		List<Candidate> candidates = new ArrayList<>();
		List<String> withoutMachine = new ArrayList<>();
		for (Model.Node node : model.nodes) {
			KubeObject machine = anyMachine ? machineOfNode.get(node.name()) : null;
			if (machine != null) {
				candidates.add(new Candidate(node.index(), machine.name(), machineTier(machine), 0, machine.name()));
			}
			else {
				if (anyMachine) {
					withoutMachine.add(node.name());
				}
				candidates.add(new Candidate(node.index(), null, nodeTier(node), 1, node.name()));
			}
		}
		candidates.sort(Comparator.comparingInt((Candidate c) -> TIERS.indexOf(c.tier()))
			.thenComparingInt(Candidate::rank)
			.thenComparing(Candidate::sortName));
		List<Entry> entries = candidates.stream().map(c -> new Entry(c.node(), c.machine(), c.tier())).toList();
		return new Order(entries, anyMachine ? MACHINES : NODE_NAMES, List.copyOf(withoutMachine));
	}

	private static String machineTier(KubeObject machine) {
		if (isTrue(machine, "rke.cattle.io/init-node")) {
			return INIT;
		}
		if (isTrue(machine, "rke.cattle.io/etcd-role")) {
			return ETCD;
		}
		if (isTrue(machine, "rke.cattle.io/control-plane-role")) {
			return CONTROL_PLANE;
		}
		return WORKER;
	}

	/** The fallback: etcd and control-plane nodes by their role labels (a witness is an etcd node), then workers. */
	private static String nodeTier(Model.Node node) {
		Map<String, String> labels = node.labels();
		if (labels.containsKey("node-role.kubernetes.io/etcd")
				|| labels.containsKey("node-role.harvesterhci.io/witness")) {
			return ETCD;
		}
		if (labels.containsKey("node-role.kubernetes.io/control-plane")
				|| labels.containsKey("node-role.kubernetes.io/master")) {
			return CONTROL_PLANE;
		}
		return WORKER;
	}

	private static boolean isTrue(KubeObject machine, String label) {
		return "true".equalsIgnoreCase(machine.labels().getOrDefault(label, ""));
	}

	private record Candidate(int node, String machine, String tier, int rank, String sortName) {
	}

}
