package io.harvester.upgradereadiness.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NotPlaced;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.NotPlacedVerdict;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.OrderEntry;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.RestoreVm;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Step;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Summary;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Verdict;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rehearses the upgrade's drain over a snapshot. A rehearsal is a pure function of the snapshot and the
 * {@link RehearsalInput}; it is memoised per snapshot (as the report's check results are), so that the
 * {@code drain-capacity} check and {@code GET /api/v1/upgrade-rehearsal} share one computation per snapshot version
 * and input, also when asked at once.
 */
public final class Rehearsals {

	/** Inputs remembered per snapshot; more are computed without memo. */
	private static final int MAX_MEMOISED = 16;

	static final List<String> LIMITS = List.of(
			"Scheduler fidelity: the filters (readiness, cordon, witness, taints, node selector and required node "
					+ "affinity, resources, required pod anti-affinity) and the LeastAllocated score are modelled; "
					+ "BalancedAllocation, preferred affinities, topology spread, pod affinity, preemption and "
					+ "dynamic resource claims are not, and the scheduler's random tie-break is made deterministic "
					+ "(by node name).",
			"Migration order: KubeVirt runs several migrations at once, so the real order is not known; a VM that the "
					+ "likely order (creation order) leaves out is tried in two other orders to tell DOES_NOT_FIT from "
					+ "FITS_ONLY_IN_SOME_ORDERS.",
			"Requests are those of each VM's current virt-launcher pod; the target KubeVirt may render the migration "
					+ "target pod slightly larger (for example +16Mi video memory from KubeVirt 1.6).",
			"Fits means the scheduler accepts the pod: with Harvester's memory overcommit, not that physical memory "
					+ "suffices. Dedicated CPUs and NUMA may still be refused by the kubelet at admission.",
			"Other pods stay on their node: RKE2's drain evicts them after the VMs, and their PodDisruptionBudgets and "
					+ "anti-affinity are not rehearsed.",
			"Allocatable is the nodes' current one; a node's upgrade may change its reservations.",
			"Failures other than room (dirty-page rate, network, migration timeouts, volume attachment) are out of "
					+ "scope, and so is the extra load the upgrade itself adds (the upgrade-repo VM, and the one "
					+ "migration of every VM when KubeVirt is upgraded on v1.6 to v1.8 targets).",
			"Only VMIs in phase Running are rehearsed; pending ones are not placed.");

	private static volatile Memo memo = new Memo(null);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Rehearsals() {
	}

	/** The rehearsal of this snapshot and input, computed once per snapshot and input. */
	public static Rehearsal of(ClusterSnapshot snapshot, RehearsalInput input) {
		Memo current = memo;
		if (current.snapshot != snapshot) {
			synchronized (Rehearsals.class) {
				current = memo;
				if (current.snapshot != snapshot) {
					current = new Memo(snapshot);
					memo = current;
				}
			}
		}
		Rehearsal known = current.rehearsals.get(input);
		if (known != null) {
			return known;
		}
		if (current.rehearsals.size() >= MAX_MEMOISED) {
			return compute(snapshot, input);
		}
		return current.rehearsals.computeIfAbsent(input, i -> compute(snapshot, i));
	}

	/** The same without the memo. */
	public static Rehearsal compute(ClusterSnapshot snapshot, RehearsalInput input) {
		return assemble(snapshot, input);
	}

	static Rehearsal assemble(ClusterSnapshot snapshot, RehearsalInput input) {
		Model model = Model.of(snapshot, input);
		RestoreVm restore = restoreVm(snapshot, input);
		UpgradeOrder.Order order = UpgradeOrder.of(snapshot, model);
		long nonWitness = java.util.Arrays.stream(model.nodes).filter(n -> !n.witness()).count();
		boolean singleNode = nonWitness == 1;
		Replay replay = new Replay(model, input, restore.value());
		List<OrderEntry> entries = new ArrayList<>();
		List<Step> steps = new ArrayList<>();
		boolean stopped = false;
		int placed = 0;
		int notPlaced = 0;
		Integer firstFailing = null;
		boolean doesNotFit = false;
		boolean atRisk = false;
		for (int i = 0; i < order.entries().size(); i++) {
			UpgradeOrder.Entry entry = order.entries().get(i);
			String node = model.nodes[entry.node()].name();
			entries.add(new OrderEntry(i + 1, node, entry.machine(), entry.tier()));
			Replay.StepResult result = replay.drain(entry.node(), singleNode);
			steps.add(new Step(i + 1, node, result.vms(), result.placed(), result.notPlaced(), result.nonMigratable(),
					stopped, result.headroom(), result.notes()));
			placed += result.placed().size();
			notPlaced += result.notPlaced().size();
			if (!result.notPlaced().isEmpty() && firstFailing == null) {
				firstFailing = i + 1;
			}
			for (NotPlaced vm : result.notPlaced()) {
				doesNotFit |= vm.verdict() == NotPlacedVerdict.DOES_NOT_FIT;
				atRisk |= vm.verdict() == NotPlacedVerdict.FITS_ONLY_IN_SOME_ORDERS;
			}
			stopped |= result.stalls();
		}
		Verdict verdict = singleNode ? Verdict.SINGLE_NODE
				: doesNotFit ? Verdict.DOES_NOT_FIT : atRisk ? Verdict.AT_RISK : Verdict.FITS;
		List<String> limits = new ArrayList<>();
		if (order.source().equals(UpgradeOrder.NODE_NAMES)) {
			limits.add("No CAPI Machine points to the nodes: the order is approximate (etcd and control-plane nodes, "
					+ "then workers, each by node name; the init node is not known).");
		}
		else if (!order.withoutMachine().isEmpty()) {
			limits.add("No CAPI Machine points to " + String.join(", ", order.withoutMachine()) + ": their place in "
					+ "the order is approximate (after the nodes of their tier that have one, by node name).");
		}
		if (input.target() == null) {
			limits.add("No target version: VMs that do not fit are taken to be shut down, as upgrades to v1.7 or "
					+ "later do (to v1.6 or earlier the upgrade would stall instead).");
		}
		limits.addAll(model.notes);
		limits.addAll(LIMITS);
		return new Rehearsal(order.source(), singleNode, restore, List.copyOf(entries), List.copyOf(steps),
				new Summary(steps.size(), placed, notPlaced, firstFailing, verdict), List.copyOf(limits));
	}

	/** The input's restoreVM, else the {@code upgrade-config} setting's (value, else default); false when unreadable. */
	static RestoreVm restoreVm(ClusterSnapshot snapshot, RehearsalInput input) {
		if (input.restoreVm() != null) {
			return new RestoreVm(input.restoreVm(), "request parameter restoreVM");
		}
		if (!snapshot.usable(WatchedKind.SETTINGS)) {
			return new RestoreVm(false, WatchedKind.SETTINGS.resource() + " is not in the snapshot: taken as false");
		}
		Optional<String> value = Settings.effective(snapshot, Settings.UPGRADE_CONFIG);
		if (value.isEmpty()) {
			return new RestoreVm(false, "setting " + Settings.UPGRADE_CONFIG + " not found or empty: taken as false");
		}
		try {
			JsonNode config = JSON.readTree(value.get());
			JsonNode field = (config != null && config.isObject()) ? config.get("restoreVM") : null;
			if (field != null && field.isBoolean()) {
				return new RestoreVm(field.booleanValue(), "setting " + Settings.UPGRADE_CONFIG);
			}
			return new RestoreVm(false, "setting " + Settings.UPGRADE_CONFIG + " has no restoreVM: taken as false");
		}
		catch (JacksonException ex) {
			return new RestoreVm(false, "setting " + Settings.UPGRADE_CONFIG + " is not valid JSON: taken as false");
		}
	}

	private static final class Memo {

		final ClusterSnapshot snapshot;

		final Map<RehearsalInput, Rehearsal> rehearsals = new ConcurrentHashMap<>();

		Memo(ClusterSnapshot snapshot) {
			this.snapshot = snapshot;
		}

	}

}
