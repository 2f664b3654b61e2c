package io.harvester.upgradereadiness.rehearsal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.vms.MigrationBlocker;
import io.harvester.upgradereadiness.check.vms.MigrationBlockers;
import io.harvester.upgradereadiness.rehearsal.Model.Node;
import io.harvester.upgradereadiness.rehearsal.Model.Resident;
import io.harvester.upgradereadiness.rehearsal.Model.Vm;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NonMigratable;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NotPlaced;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NotPlacedVerdict;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Outcome;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Placed;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Reason;
import io.harvester.upgradereadiness.rehearsal.Selectors.PodTerm;
import io.harvester.upgradereadiness.rehearsal.Selectors.Taint;
import io.harvester.upgradereadiness.rehearsal.Selectors.Term;
import io.harvester.upgradereadiness.rehearsal.Selectors.Toleration;

/**
 * The replay: node after node in upgrade order, the running VMs of the node are sorted into those that never
 * migrate and those that move; the movers are placed as the default scheduler would place their migration target
 * pods (filters, then LeastAllocated with ties by node name) in creation order, and that placement is carried to
 * the next step. A VM that order leaves out is tried again in two other ways (smallest first; largest first on the
 * fullest node that takes it) to tell a VM that fits in no order from one that fits only in some. A drained node
 * comes back with nothing that moved away and joins the candidates.
 * <p>
 * Cost: each placement scans the nodes once, with the filters that do not depend on free capacity (readiness,
 * cordon, witness, taints, node selector and affinity) looked up from a per-constraint bit set computed once;
 * the other two passes run only for a step where something did not fit.
 */
final class Replay {

	static final int MAX_REASONS = 50;

	static final long LOW_HEADROOM_PERCENT = 10;

	private static final String SOURCE_NODE = "source node (being drained)";

	private final Model model;

	private final RehearsalInput input;

	private final HarvesterVersions versions;

	private final boolean restoreVm;

	private final long[][] used;

	private final int[] location;

	/** Per node, 100 / allocatable cpu and memory (0 without any): the score estimate's factors. */
	private final double[] cpuScale;

	private final double[] memScale;

	private final List<List<Integer>> residents;

	private final Map<Constraints, BitSet> feasibleByConstraints = new HashMap<>();

	/** Per VM, the node selector of its migration target pod (its own, plus the CPU keys KubeVirt adds). */
	private final List<Map<String, String>> selectors;

	private final boolean anyAntiAffinity;

	/** The VMs with required anti-affinity terms, which every placement is checked against (symmetry). */
	private final List<Integer> antiVms = new ArrayList<>();

	/** Whether some other pod has required anti-affinity terms. */
	private final boolean antiPods;

	private final Map<String, Map<String, List<Integer>>> domains = new HashMap<>();

	Replay(Model model, RehearsalInput input, boolean restoreVm) {
		this.model = model;
		this.input = input;
		this.versions = input.versions();
		this.restoreVm = restoreVm;
		int nodes = model.nodes.length;
		this.used = new long[model.resources.size()][];
		for (int r = 0; r < this.used.length; r++) {
			this.used[r] = model.base[r].clone();
		}
		this.cpuScale = scale(model.allocatable[Model.CPU_INDEX]);
		this.memScale = scale(model.allocatable[Model.MEMORY_INDEX]);
		this.location = new int[model.vms.size()];
		this.residents = new ArrayList<>(nodes);
		for (int n = 0; n < nodes; n++) {
			this.residents.add(new ArrayList<>(4));
		}
		boolean anti = false;
		for (List<Resident> pods : model.staticPods) {
			for (Resident pod : pods) {
				anti |= !pod.antiAffinity().isEmpty();
			}
		}
		this.antiPods = anti;
		this.selectors = new ArrayList<>(model.vms.size());
		boolean vendorRule = input.targetAtLeast(1, 9).orElse(false);
		for (Vm vm : model.vms) {
			this.location[vm.index] = vm.origin;
			for (int r = 0; r < this.used.length; r++) {
				this.used[r][vm.origin] += vm.requests[r];
			}
			this.residents.get(vm.origin).add(vm.index);
			if (!vm.resident.antiAffinity().isEmpty()) {
				anti = true;
				this.antiVms.add(vm.index);
			}
			this.selectors.add(migrationSelector(vm, model.nodes[vm.origin], vendorRule));
		}
		this.anyAntiAffinity = anti;
	}

	/**
	 * What KubeVirt adds to the target pod's node selector for the CPU: for a host-model VM whose pod has no
	 * migration model yet, the source node's host model and required features; from KubeVirt 1.8 (Harvester v1.9)
	 * the source node's CPU vendor for every VM. The keys stay in the pod, so later migrations keep them.
	 */
	private static Map<String, String> migrationSelector(Vm vm, Node source, boolean vendorRule) {
		Map<String, String> selector = new LinkedHashMap<>(vm.nodeSelector);
		boolean hasMigrationModel = selector.keySet().stream().anyMatch(k -> k.startsWith(Model.MIGRATION_MODEL_PREFIX));
		if (vm.hostModel && !hasMigrationModel) {
			source.labels().forEach((key, value) -> {
				if (key.startsWith(Model.HOST_MODEL_PREFIX)) {
					selector.put(Model.MIGRATION_MODEL_PREFIX + key.substring(Model.HOST_MODEL_PREFIX.length()), "true");
				}
				else if (key.startsWith(Model.REQUIRED_FEATURE_PREFIX)) {
					selector.put(Model.CPU_FEATURE_PREFIX + key.substring(Model.REQUIRED_FEATURE_PREFIX.length()), "true");
				}
			});
		}
		if (vendorRule && selector.keySet().stream().noneMatch(k -> k.startsWith(Model.CPU_VENDOR_PREFIX))) {
			source.labels().forEach((key, value) -> {
				if (key.startsWith(Model.CPU_VENDOR_PREFIX) && "true".equals(value)) {
					selector.put(key, "true");
				}
			});
		}
		return selector;
	}

	/** What one step produced, before it is written as a {@link Rehearsal.Step}. */
	record StepResult(int node, int vms, List<Placed> placed, List<NotPlaced> notPlaced,
			List<NonMigratable> nonMigratable, boolean stalls, Rehearsal.Headroom headroom, List<String> notes,
			List<Integer> notPlacedVms) {
	}

	/**
	 * Drains one node.
	 * @param node the node drained
	 * @param singleNode whether no other node can take anything
	 */
	StepResult drain(int node, boolean singleNode) {
		List<Integer> here = new ArrayList<>(this.residents.get(node));
		here.sort(Comparator.naturalOrder());
		List<NonMigratable> nonMigratable = new ArrayList<>();
		List<Integer> movers = new ArrayList<>();
		List<Integer> leaving = new ArrayList<>();
		boolean stalls = false;
		String nodeName = this.model.nodes[node].name();
		for (int v : here) {
			Vm vm = this.model.vms.get(v);
			Classification c = singleNode ? singleNodeClass() : classify(vm, node);
			if (c == null) {
				movers.add(v);
				continue;
			}
			nonMigratable.add(new NonMigratable(vm.key, c.reason(), c.consequence(nodeName), c.outcome()));
			if (c.outcome() != Outcome.RESTORED_ON_NODE) {
				leaving.add(v);
			}
			stalls |= c.outcome() == Outcome.STALLS_PRE_DRAIN
					|| (c.outcome() == Outcome.MIGRATION_FAILS && !stopsFailedMigrations());
		}
		List<Placed> placed = new ArrayList<>();
		List<NotPlaced> notPlaced = new ArrayList<>();
		List<Integer> notPlacedVms = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		if (!movers.isEmpty()) {
			List<int[]> likely = new ArrayList<>();
			Map<Integer, List<Reason>> why = new LinkedHashMap<>();
			int[] targets = pass(movers, node, Mode.SPREAD, likely, why);
			List<Integer> failed = new ArrayList<>();
			for (int i = 0; i < movers.size(); i++) {
				if (targets[i] < 0) {
					failed.add(movers.get(i));
				}
			}
			java.util.Set<Integer> placeable = new java.util.HashSet<>();
			if (!failed.isEmpty()) {
				undo(likely, node);
				List<Integer> smallest = new ArrayList<>(movers);
				smallest.sort(Comparator.comparingLong((Integer v) -> this.model.vms.get(v).requests[Model.MEMORY_INDEX])
					.thenComparingLong(v -> this.model.vms.get(v).requests[Model.CPU_INDEX])
					.thenComparingInt(v -> v));
				placeable.addAll(placedBy(smallest, node, Mode.SPREAD));
				List<Integer> largest = new ArrayList<>(movers);
				largest.sort(Comparator.comparingLong((Integer v) -> -this.model.vms.get(v).requests[Model.MEMORY_INDEX])
					.thenComparingLong(v -> -this.model.vms.get(v).requests[Model.CPU_INDEX])
					.thenComparingInt(v -> v));
				placeable.addAll(placedBy(largest, node, Mode.PACK));
				redo(likely);
			}
			for (int i = 0; i < movers.size(); i++) {
				int v = movers.get(i);
				Vm vm = this.model.vms.get(v);
				Boolean estimated = vm.estimated ? Boolean.TRUE : null;
				if (targets[i] >= 0) {
					placed.add(new Placed(vm.key, this.model.nodes[targets[i]].name(), quantities(vm), estimated));
				}
				else {
					NotPlacedVerdict verdict = placeable.contains(v) ? NotPlacedVerdict.FITS_ONLY_IN_SOME_ORDERS
							: NotPlacedVerdict.DOES_NOT_FIT;
					notPlaced.add(new NotPlaced(vm.key, quantities(vm), verdict, why.get(v), failedConsequence(nodeName),
							estimated));
					notPlacedVms.add(v);
					leaving.add(v);
					stalls |= !stopsFailedMigrations();
				}
				if (vm.estimated) {
					notes.add("The requests of " + vm.key + " are estimated with KubeVirt's formula: no running "
							+ "virt-launcher pod of it was found.");
				}
			}
			for (int i = 0; i < movers.size(); i++) {
				if (targets[i] >= 0) {
					leave(movers.get(i), node, targets[i]);
				}
			}
		}
		for (int v : leaving) {
			leave(v, node, -1);
		}
		return new StepResult(node, here.size(), placed, notPlaced, nonMigratable, stalls, headroom(node), notes,
				notPlacedVms);
	}

	/** Whether the target's pre-drain stops a VM whose migration failed (v1.7.0+) rather than waiting forever. */
	boolean stopsFailedMigrations() {
		return this.input.targetAtLeast(1, 7).orElse(true);
	}

	private String failedConsequence(String node) {
		java.util.Optional<Boolean> stops = this.input.targetAtLeast(1, 7);
		String stop = "KubeVirt gives up on the migration target pod after 5 minutes and Harvester shuts the VM down "
				+ "during the pre-drain of " + node + "; it is not restarted afterwards, even with restoreVM";
		String stall = "the migration is retried forever: the upgrade stalls in Pre-draining at " + node;
		if (stops.isEmpty()) {
			return "Target version unknown: to v1.7 or later, " + stop + "; to v1.6 or earlier, " + stall + ".";
		}
		return stops.get() ? capitalise(stop) + "." : capitalise(stall) + ".";
	}

	/** Removes a VM from the node it leaves, onto {@code to} (already counted there) or out of the cluster. */
	private void leave(int v, int from, int to) {
		Vm vm = this.model.vms.get(v);
		for (int r : vm.requested) {
			this.used[r][from] -= vm.requests[r];
		}
		this.residents.get(from).remove(Integer.valueOf(v));
		if (to < 0) {
			this.location[v] = -1;
		}
	}

	private enum Mode {

		/** The default scheduler: LeastAllocated over cpu and memory, ties by node name. */
		SPREAD,

		/** Best fit: the node left with the least free memory. */
		PACK

	}

	/** Places the VMs in this order, records every move in {@code log}; returns each VM's node or -1. */
	private int[] pass(List<Integer> order, int source, Mode mode, List<int[]> log, Map<Integer, List<Reason>> why) {
		int[] targets = new int[order.size()];
		for (int i = 0; i < order.size(); i++) {
			int v = order.get(i);
			Vm vm = this.model.vms.get(v);
			int best = best(vm, source, mode);
			targets[i] = best;
			if (best >= 0) {
				place(vm, best);
				log.add(new int[] { v, best });
			}
			else if (why != null) {
				why.put(v, reasons(vm, source));
			}
		}
		return targets;
	}

	/** The VMs a pass in this order places; leaves the state as it found it. */
	private List<Integer> placedBy(List<Integer> order, int source, Mode mode) {
		List<int[]> log = new ArrayList<>();
		pass(order, source, mode, log, null);
		undo(log, source);
		return log.stream().map(move -> move[0]).toList();
	}

	private void place(Vm vm, int node) {
		for (int r : vm.requested) {
			this.used[r][node] += vm.requests[r];
		}
		this.residents.get(node).add(vm.index);
		this.location[vm.index] = node;
	}

	private void undo(List<int[]> log, int source) {
		for (int i = log.size() - 1; i >= 0; i--) {
			Vm vm = this.model.vms.get(log.get(i)[0]);
			int node = log.get(i)[1];
			for (int r : vm.requested) {
				this.used[r][node] -= vm.requests[r];
			}
			List<Integer> list = this.residents.get(node);
			list.remove(list.lastIndexOf(vm.index));
			this.location[vm.index] = source;
		}
	}

	private void redo(List<int[]> log) {
		for (int[] move : log) {
			place(this.model.vms.get(move[0]), move[1]);
		}
	}

	private int best(Vm vm, int source, Mode mode) {
		BitSet candidates = feasible(vm);
		long[] allocCpu = this.model.allocatable[Model.CPU_INDEX];
		long[] allocMem = this.model.allocatable[Model.MEMORY_INDEX];
		long[] usedCpu = this.used[Model.CPU_INDEX];
		long[] usedMem = this.used[Model.MEMORY_INDEX];
		long reqCpu = vm.requests[Model.CPU_INDEX];
		long reqMem = vm.requests[Model.MEMORY_INDEX];
		int best = -1;
		long bestScore = Long.MIN_VALUE;
		for (int n = candidates.nextSetBit(0); n >= 0; n = candidates.nextSetBit(n + 1)) {
			if (n == source) {
				continue;
			}
			long score;
			if (mode == Mode.SPREAD) {
				// The exact score (integer divisions) is at most this estimate: most nodes are passed over on it
				// without dividing, and only a node that could beat the best so far is filtered and scored.
				if (best >= 0) {
					double estimate = (Math.max(0, allocCpu[n] - usedCpu[n] - reqCpu) * this.cpuScale[n]
							+ Math.max(0, allocMem[n] - usedMem[n] - reqMem) * this.memScale[n]) * 0.5;
					if (estimate < bestScore + 1 - 1e-6) {
						continue;
					}
				}
				if (!fits(vm, n) || (this.anyAntiAffinity && antiAffinityConflict(vm, n) != null)) {
					continue;
				}
				score = (leastAllocated(usedCpu[n] + reqCpu, allocCpu[n]) + leastAllocated(usedMem[n] + reqMem,
						allocMem[n])) / 2;
			}
			else {
				score = -(allocMem[n] - usedMem[n] - reqMem);
				if (score <= bestScore || !fits(vm, n)
						|| (this.anyAntiAffinity && antiAffinityConflict(vm, n) != null)) {
					continue;
				}
			}
			if (score > bestScore) {
				bestScore = score;
				best = n;
			}
		}
		return best;
	}

	private static double[] scale(long[] allocatable) {
		double[] scale = new double[allocatable.length];
		for (int n = 0; n < allocatable.length; n++) {
			scale[n] = (allocatable[n] > 0) ? 100.0 / allocatable[n] : 0;
		}
		return scale;
	}

	/** kube-scheduler's {@code leastRequestedScore}: integer arithmetic, 0 to 100. */
	private static long leastAllocated(long requested, long capacity) {
		if (capacity == 0 || requested > capacity) {
			return 0;
		}
		return (capacity - requested) * 100 / capacity;
	}

	private boolean fits(Vm vm, int n) {
		for (int r : vm.requested) {
			if (this.used[r][n] + vm.requests[r] > this.model.allocatable[r][n]) {
				return false;
			}
		}
		return true;
	}

	/** The nodes whose capacity-independent filters let the VM in (the source node included). */
	private BitSet feasible(Vm vm) {
		Constraints constraints = new Constraints(this.selectors.get(vm.index), vm.affinity, vm.tolerations);
		BitSet known = this.feasibleByConstraints.get(constraints);
		if (known == null) {
			known = new BitSet(this.model.nodes.length);
			for (Node node : this.model.nodes) {
				if (staticReasons(constraints, node, true).isEmpty()) {
					known.set(node.index());
				}
			}
			this.feasibleByConstraints.put(constraints, known);
		}
		return known;
	}

	/**
	 * Why the filters that do not depend on free capacity refuse the node, in the scheduler's order and words;
	 * empty when they let it in.
	 * @param first stop at the first reason
	 */
	private List<String> staticReasons(Constraints c, Node node, boolean first) {
		List<String> reasons = new ArrayList<>(1);
		if (node.witness()) {
			reasons.add("witness node");
			if (first) {
				return reasons;
			}
		}
		if (node.notReady() != null) {
			reasons.add("node " + node.notReady());
			if (first) {
				return reasons;
			}
		}
		if (node.unschedulable()) {
			reasons.add("node is unschedulable (cordoned)");
			if (first) {
				return reasons;
			}
		}
		for (Taint taint : node.taints()) {
			if (taint.filters() && c.tolerations().stream().noneMatch(t -> t.tolerates(taint))) {
				reasons.add("untolerated taint " + taint);
				if (first) {
					return reasons;
				}
				break;
			}
		}
		List<String> missing = new ArrayList<>();
		c.selector().forEach((key, value) -> {
			String actual = node.labels().get(key);
			if (actual == null) {
				missing.add("missing " + key);
			}
			else if (!actual.equals(value)) {
				missing.add(key + "=" + actual + ", wants " + value);
			}
		});
		if (!missing.isEmpty()) {
			reasons.add("didn't match Pod's node affinity/selector (" + String.join(", ", missing) + ")");
			if (first) {
				return reasons;
			}
		}
		if (c.affinity() != null && c.affinity().stream().noneMatch(t -> t.matches(node.labels(), node.name()))) {
			List<String> terms = c.affinity().stream().map(Term::toString).toList();
			reasons.add("didn't match Pod's node affinity/selector (required: "
					+ (terms.isEmpty() ? "no valid term" : String.join(" or ", terms)) + ")");
		}
		return reasons;
	}

	/** Every node but the VM's own, and why each refuses it now; the scheduler's words. */
	private List<Reason> reasons(Vm vm, int source) {
		Constraints constraints = new Constraints(this.selectors.get(vm.index), vm.affinity, vm.tolerations);
		List<Reason> reasons = new ArrayList<>();
		Map<String, Integer> beyond = new TreeMap<>();
		int listed = 0;
		for (Node node : this.model.nodes) {
			String reason;
			if (node.index() == source) {
				reason = SOURCE_NODE;
			}
			else {
				List<String> filters = staticReasons(constraints, node, false);
				if (node.witness()) {
					reason = (filters.size() > 1)
							? "witness node (" + String.join(", ", filters.subList(1, filters.size())) + ")"
							: "witness node";
				}
				else if (!filters.isEmpty()) {
					reason = filters.get(0);
				}
				else {
					reason = capacityReason(vm, node.index());
					if (reason == null && this.anyAntiAffinity) {
						reason = antiAffinityConflict(vm, node.index());
					}
					if (reason == null) {
						reason = "fits now, but not in the order the VMs were placed";
					}
				}
			}
			if (listed < MAX_REASONS) {
				reasons.add(new Reason(node.name(), reason));
				listed++;
			}
			else {
				beyond.merge(kindOf(reason), 1, Integer::sum);
			}
		}
		if (!beyond.isEmpty()) {
			int more = beyond.values().stream().mapToInt(Integer::intValue).sum();
			List<String> counts = new ArrayList<>();
			beyond.forEach((kind, count) -> counts.add(count + " " + kind));
			reasons.add(new Reason(null, more + " more nodes: " + String.join(", ", counts)));
		}
		return reasons;
	}

	/** A reason without its figures, to count alike ones: {@code Insufficient memory}. */
	private static String kindOf(String reason) {
		int paren = reason.indexOf(" (");
		return (paren > 0) ? reason.substring(0, paren) : reason;
	}

	private String capacityReason(Vm vm, int n) {
		List<String> insufficient = new ArrayList<>();
		for (int r : vm.requested) {
			long free = this.model.allocatable[r][n] - this.used[r][n];
			if (vm.requests[r] > free) {
				String resource = this.model.resources.get(r);
				if (r == Model.PODS_INDEX) {
					insufficient.add("Too many pods (" + this.used[r][n] + " of " + this.model.allocatable[r][n]
							+ " allowed)");
				}
				else {
					insufficient.add("Insufficient " + resource + " (free " + Quantities.human(resource, Math.max(0, free))
							+ ", needs " + Quantities.human(resource, vm.requests[r]) + ")");
				}
			}
		}
		if (!this.model.nodes[n].hasAllocatable() && !insufficient.isEmpty()) {
			return "no status.allocatable: " + String.join("; ", insufficient);
		}
		return insufficient.isEmpty() ? null : String.join("; ", insufficient);
	}

	/**
	 * Whether placing the VM on the node breaks a required pod anti-affinity: its own terms against the pods in the
	 * term's topology domain, or an existing pod's terms against it (the scheduler applies both).
	 */
	private String antiAffinityConflict(Vm vm, int n) {
		for (PodTerm term : vm.resident.antiAffinity()) {
			for (int d : domain(term.topologyKey(), n)) {
				for (int u : this.residents.get(d)) {
					Resident other = this.model.vms.get(u).resident;
					if (u != vm.index && this.location[u] == d && term.matches(other.namespace(), other.labels())) {
						return "didn't match pod anti-affinity rules (" + this.model.vms.get(u).key + " on "
								+ this.model.nodes[d].name() + ")";
					}
				}
				for (Resident pod : this.model.staticPods.get(d)) {
					if (term.matches(pod.namespace(), pod.labels())) {
						return "didn't match pod anti-affinity rules (a pod in " + pod.namespace() + " on "
								+ this.model.nodes[d].name() + ")";
					}
				}
			}
		}
		Resident incoming = vm.resident;
		for (int u : this.antiVms) {
			Vm other = this.model.vms.get(u);
			int d = this.location[u];
			if (u == vm.index || d < 0) {
				continue;
			}
			for (PodTerm term : other.resident.antiAffinity()) {
				if (sameDomain(term.topologyKey(), d, n) && term.matches(incoming.namespace(), incoming.labels())) {
					return "didn't match pod anti-affinity rules (" + other.key + " on " + this.model.nodes[d].name()
							+ " excludes it)";
				}
			}
		}
		for (int d = 0; d < this.model.nodes.length && this.antiPods; d++) {
			for (Resident pod : this.model.staticPods.get(d)) {
				for (PodTerm term : pod.antiAffinity()) {
					if (sameDomain(term.topologyKey(), d, n) && term.matches(incoming.namespace(), incoming.labels())) {
						return "didn't match pod anti-affinity rules (an existing pod's anti-affinity on "
								+ this.model.nodes[d].name() + ")";
					}
				}
			}
		}
		return null;
	}

	private boolean sameDomain(String key, int a, int b) {
		String va = this.model.nodes[a].labels().get(key);
		return va != null && va.equals(this.model.nodes[b].labels().get(key));
	}

	/** The nodes sharing the node's value of a topology label; none when it has no such label. */
	private List<Integer> domain(String key, int n) {
		String value = this.model.nodes[n].labels().get(key);
		if (value == null) {
			return List.of();
		}
		Map<String, List<Integer>> byValue = this.domains.computeIfAbsent(key, k -> {
			Map<String, List<Integer>> index = new HashMap<>();
			for (Node node : this.model.nodes) {
				String v = node.labels().get(k);
				if (v != null) {
					index.computeIfAbsent(v, x -> new ArrayList<>()).add(node.index());
				}
			}
			return index;
		});
		return byValue.getOrDefault(value, List.of());
	}

	/** The candidate node with the least free memory, now; {@code null} when there is none. */
	private Rehearsal.Headroom headroom(int source) {
		int fullest = -1;
		double fullestShare = Double.MAX_VALUE;
		long[] alloc = this.model.allocatable[Model.MEMORY_INDEX];
		long[] usedMem = this.used[Model.MEMORY_INDEX];
		for (Node node : this.model.nodes) {
			int n = node.index();
			if (n == source || node.witness() || node.notReady() != null || node.unschedulable() || alloc[n] <= 0) {
				continue;
			}
			double share = Math.max(0, alloc[n] - usedMem[n]) * this.memScale[n];
			if (share < fullestShare) {
				fullestShare = share;
				fullest = n;
			}
		}
		if (fullest < 0) {
			return null;
		}
		long fullestPercent = Math.max(0, alloc[fullest] - usedMem[fullest]) * 100 / alloc[fullest];
		return new Rehearsal.Headroom(this.model.nodes[fullest].name(),
				Quantities.human(Model.MEMORY, Math.max(0, alloc[fullest] - usedMem[fullest])),
				Quantities.human(Model.MEMORY, alloc[fullest]), (int) fullestPercent);
	}

	/** A VM's requests as Kubernetes quantities, cpu and memory first. */
	Map<String, String> quantities(Vm vm) {
		Map<String, String> result = new LinkedHashMap<>();
		for (int r = 0; r < vm.requests.length; r++) {
			if (r != Model.PODS_INDEX && vm.requests[r] > 0) {
				String resource = this.model.resources.get(r);
				result.put(resource, Quantities.exact(resource, vm.requests[r]));
			}
		}
		return result;
	}

	/** Why a VM never migrates, and what becomes of it; {@code null} when it migrates. */
	private record Classification(String reason, Outcome outcome, String consequenceTemplate) {

		String consequence(String node) {
			return this.consequenceTemplate.replace("{node}", node);
		}

	}

	private Classification singleNodeClass() {
		return new Classification("only one non-witness node: there is no node to migrate to",
				this.restoreVm ? Outcome.RESTORED_ON_NODE : Outcome.STOPPED,
				this.restoreVm ? "Stopped for the upgrade of {node} and restarted on it afterwards (restoreVM)."
						: "Stopped for the upgrade of {node} and not restarted (restoreVM is false): start it again "
								+ "afterwards.");
	}

	private Classification classify(Vm vm, int node) {
		List<MigrationBlocker> blockers = MigrationBlockers.intrinsic(vm.vmi, vm.vm, this.versions);
		if (!blockers.isEmpty()) {
			String reason = String.join("; ", blockers.stream().map(MigrationBlocker::text).toList());
			boolean restores = this.restoreVm && this.input.targetAtLeast(1, 6).orElse(true);
			if (restores && Blockers.stoppedByDetector(blockers)) {
				return new Classification(reason, Outcome.RESTORED_ON_NODE,
						"Stopped before the pre-drain of {node} and restarted on {node} after its upgrade (restoreVM); "
								+ "it needs no room elsewhere.");
			}
			if (!restores && Blockers.refusedByWebhook(blockers)) {
				return new Classification(reason, Outcome.BLOCKS_UPGRADE,
						"Harvester's upgrade webhook refuses the upgrade while it runs (vms-live-migratable): shut it "
								+ "off first, or set restoreVM (v1.6+). The rehearsal assumes it is off from here on.");
			}
			return new Classification(reason, Outcome.STALLS_PRE_DRAIN,
					"Harvester neither migrates nor stops it: the pre-drain of {node} waits for it forever and the "
							+ "upgrade stalls. Stop it before the upgrade.");
		}
		String strategy = vm.vmi.string("spec.evictionStrategy").orElse(null);
		if (strategy == null || strategy.equals("None") || strategy.equals("External")) {
			String why = (strategy == null)
					? "no evictionStrategy: KubeVirt's default (None, unless the KubeVirt CR sets another) neither "
							+ "migrates nor stops it on a drain"
					: "evictionStrategy " + strategy + ": KubeVirt does not migrate it on a drain";
			return new Classification(why, Outcome.STALLS_PRE_DRAIN,
					"The pre-drain of {node} waits for it forever and the upgrade stalls. Set evictionStrategy: "
							+ "LiveMigrate (or LiveMigrateIfPossible) on the VM, or stop it before the upgrade.");
		}
		String cpu = cpuModelBlocker(vm, node);
		if (cpu != null) {
			return new Classification(cpu, Outcome.MIGRATION_FAILS, failedConsequence("{node}"));
		}
		return null;
	}

	/**
	 * The CPU constraint of the migration target pod that no other non-witness node satisfies (a VM started on
	 * the only node of its CPU model): such a VM never migrates, whatever the room.
	 */
	private String cpuModelBlocker(Vm vm, int node) {
		Map<String, String> cpuKeys = new LinkedHashMap<>();
		this.selectors.get(vm.index).forEach((key, value) -> {
			if (key.startsWith(Model.CPU_MODEL_PREFIX) || key.startsWith(Model.MIGRATION_MODEL_PREFIX)
					|| key.startsWith(Model.CPU_FEATURE_PREFIX) || key.startsWith(Model.CPU_VENDOR_PREFIX)) {
				cpuKeys.put(key, value);
			}
		});
		if (cpuKeys.isEmpty()) {
			return null;
		}
		for (Node other : this.model.nodes) {
			if (other.index() == node || other.witness()) {
				continue;
			}
			boolean all = true;
			for (Map.Entry<String, String> entry : cpuKeys.entrySet()) {
				all &= entry.getValue().equals(other.labels().get(entry.getKey()));
			}
			if (all) {
				return null;
			}
		}
		return "no other node offers its CPU (needs " + String.join(", ", cpuKeys.keySet()) + ")";
	}

	private static String capitalise(String text) {
		return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	/** The filters' input that does not depend on free capacity: the memo key of the feasible node sets. */
	private record Constraints(Map<String, String> selector, List<Term> affinity, List<Toleration> tolerations) {
	}

}
