package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

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
 * Every VM must be able to live-migrate off its node, since the upgrade drains the nodes one by one (Harvester
 * webhook HV-17 since v1.2.2, harvester/harvester#3019).
 * <p>
 * Like Harvester, every VirtualMachineInstance is looked at, whatever its phase, and everything is decided from the
 * VMI: the reasons it can never migrate ({@link MigrationBlockers}: node selector, host devices, vGPUs, CD-ROM disks
 * and {@code containerDisk} volumes while the running version's webhook refuses them, KubeVirt's
 * {@code LiveMigratable=False}), and whether another non-witness node is both schedulable and a match for its
 * required node affinity; with no required affinity that means another schedulable node at all. Pod
 * (anti-)affinity is not evaluated, as in Harvester (harvester/harvester#5077). VirtualMachines are read when they
 * are there, for the finding's resources and status.
 * <p>
 * Harvester lists every VMI in one message and stops at the first reason per VMI; we give one finding per VMI (VM
 * and VMI share namespace and name) with every reason. The exemptions of {@link RestoreVmGate} apply as the running
 * version applies them: one non-witness node on every version; {@code restoreVM: true} from v1.6.0
 * ({@link #RESTORE_VM_HONOURED}, Harvester {@code 521af1fc6535}, #8526), so that before v1.6.0 the setting is not
 * read at all, and when the running version cannot be read it is not taken into account (the VMs are evaluated, and
 * their findings say why).
 */
public final class VmsLiveMigratableCheck implements Check {

	static final String MESSAGE = "There are non-live migratable VMs that need to be shut off before initiating the "
			+ "upgrade: ";

	static final String AFFINITY_PATH = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";

	/** The running versions whose upgrade honours {@code restoreVM: true} (shuts VMs down instead of migrating). */
	static final VersionGate RESTORE_VM_HONOURED = VersionGate.onCurrent("v1.6.0", null);

	static final CheckDefinition DEFINITION = new CheckDefinition("vms-live-migratable", "VMs can be live-migrated",
			"vms", Severity.ERROR, true,
			"Every VirtualMachineInstance must be live-migratable: no spec.nodeSelector, no host devices or vGPUs, "
					+ "not marked LiveMigratable=False by KubeVirt, another schedulable non-witness node that "
					+ "satisfies its required node affinity, and, while the running version's webhook refuses them "
					+ "(v1.4.1 <= current < v1.8.0), no CD-ROM disk or containerDisk volume. Skipped when there is "
					+ "only one non-witness node, and from v1.6.0 when the upgrade-config setting has restoreVM: true "
					+ "(VMs are shut down and restored).",
			List.of(WatchedKind.VIRTUAL_MACHINE_INSTANCES, WatchedKind.NODES),
			"Upgrade webhook since v1.2.2 (HV-17, harvester/harvester#3019); CD-ROM and containerDisk refused on "
					+ "v1.4.1 to v1.7.x only (a364b9095e46, dropped by ef1bcad99ca9, harvester/harvester#9779); "
					+ "restoreVM exemption since v1.6.0 (#8526); vGPUs in spec.domain.devices.gpus and KubeVirt's "
					+ "LiveMigratable=False are ours (harvester/harvester#10388, #9779)",
			"v1.2.2", List.of(WatchedKind.VIRTUAL_MACHINES, WatchedKind.SETTINGS));

	private static final Comparator<Key> KEY_ORDER = Comparator.comparing(Key::namespace).thenComparing(Key::name);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		HarvesterVersions versions = context.versions();
		VersionGate.Decision restoreVm = RESTORE_VM_HONOURED.decide(versions);
		RestoreVmGate gate = switch (restoreVm) {
			case APPLIES -> RestoreVmGate.read(snapshot);
			case DOES_NOT_APPLY -> RestoreVmGate.notHonoured("not read: Harvester honours restoreVM from v1.6.0, "
					+ "the running version is " + versions.current());
			case ASSUMED -> RestoreVmGate.read(snapshot)
				.unconfirmed("Harvester honours it only from v1.6.0 and " + versions.currentUnknownReason().orElseThrow()
						+ ": not taken into account");
		};
		List<KubeObject> nodes = RestoreVmGate.nonWitnessNodes(snapshot);
		Optional<CheckOutcome> exempt = gate.exemption(DEFINITION, nodes);
		if (exempt.isPresent()) {
			return exempt.get();
		}
		Map<Key, KubeObject> vms = new HashMap<>();
		if (snapshot.usable(WatchedKind.VIRTUAL_MACHINES)) {
			snapshot.objects(WatchedKind.VIRTUAL_MACHINES).forEach(vm -> vms.put(Key.of(vm), vm));
		}
		List<Finding> findings = new ArrayList<>();
		gate.invalidFinding(DEFINITION).ifPresent(findings::add);
		Map<Key, Finding> byKey = new TreeMap<>(KEY_ORDER);
		Targets targets = null;
		for (KubeObject vmi : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES)) {
			if (targets == null) {
				targets = new Targets(nodes);
			}
			Key key = Key.of(vmi);
			KubeObject vm = vms.get(key);
			Subject subject = examine(vmi, vm, targets, versions);
			if (!subject.reasons.isEmpty()) {
				byKey.put(key, finding(key, vm, vmi, subject, gate, nodes.size(), targets, versions));
			}
		}
		findings.addAll(byKey.values());
		return CheckOutcome.of(findings);
	}

	private static Subject examine(KubeObject vmi, KubeObject vm, Targets targets, HarvesterVersions versions) {
		Subject subject = new Subject();
		for (MigrationBlocker blocker : MigrationBlockers.intrinsic(vmi, vm, versions)) {
			subject.add(blocker.code(), blocker.text(), blocker.fix());
			subject.details.putAll(blocker.details());
		}
		String currentNode = vmi.string("status.nodeName").orElse(null);
		if (vmi.value(AFFINITY_PATH).isPresent()) {
			NodeAffinity affinity = NodeAffinity.parse(vmi, vmi.objects(AFFINITY_PATH + ".nodeSelectorTerms"),
					AFFINITY_PATH + ".nodeSelectorTerms");
			if (!targets.anySchedulableOtherMatches(currentNode, affinity)) {
				subject.add("nodeAffinity", "its required node affinity matches no other schedulable node",
						"relax the VM's required node affinity so that another node matches, or uncordon a "
								+ "matching node");
				subject.details.put("schedulableNodes", names(targets.schedulableOthers(currentNode)));
				if (!affinity.problems().isEmpty()) {
					subject.details.put("invalidAffinityTerms", affinity.problems());
				}
			}
		}
		else if (!targets.anySchedulableOther(currentNode)) {
			subject.add("noSchedulableNode", "no other schedulable node to migrate to",
					"uncordon another node or take it out of maintenance mode");
		}
		subject.node = currentNode;
		return subject;
	}

	private static Finding finding(Key key, KubeObject vm, KubeObject vmi, Subject subject, RestoreVmGate gate,
			int nonWitnessNodes, Targets targets, HarvesterVersions versions) {
		List<ResourceRef> resources = new ArrayList<>();
		if (vm != null) {
			resources.add(vm.ref());
		}
		resources.add(vmi.ref());
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reasons", List.copyOf(subject.reasons));
		details.putAll(subject.details);
		details.put("node", subject.node);
		// Every node but its own, listed only for a VM in a finding: the list is as long as the cluster.
		details.put("otherNodes", names(targets.others(subject.node)));
		vmi.string("status.phase").ifPresent(phase -> details.put("phase", phase));
		details.put("nonWitnessNodes", nonWitnessNodes);
		gate.describe(details);
		if (gate.unconfirmed()) {
			details.putIfAbsent("versionAssumed", versions.currentUnknownReason().orElseThrow()
					+ ", so restoreVM: true (honoured on " + RESTORE_VM_HONOURED.describe() + ") is not taken into account");
		}
		String qualified = key.namespace() + "/" + key.name();
		String remediation = "Shut the VM off before the upgrade (Stop in the Harvester UI, or virtctl stop "
				+ key.name() + " -n " + key.namespace() + ") and start it again afterwards, or make it migratable: "
				+ String.join("; ", subject.fixes) + ". " + restoreVmAdvice(gate, versions);
		return Finding.of(DEFINITION, "non-live-migratable-vm",
				MESSAGE + qualified + " (" + String.join("; ", subject.texts) + ")", remediation, resources, details);
	}

	/** What restoreVM can do here, by the running version. */
	private static String restoreVmAdvice(RestoreVmGate gate, HarvesterVersions versions) {
		return switch (RESTORE_VM_HONOURED.decide(versions)) {
			case APPLIES -> "You can instead set restoreVM: true in the upgrade-config setting, so that the upgrade "
					+ "shuts VMs down and restores them.";
			case DOES_NOT_APPLY -> "The restoreVM option of the upgrade-config setting, which shuts VMs down and "
					+ "restores them, exists only from Harvester v1.6.0 (this cluster runs " + versions.current()
					+ ").";
			case ASSUMED -> gate.unconfirmed() ? "The " + gate.from().substring("setting ".length()) + "."
					: "On Harvester v1.6.0 and later you can instead set restoreVM: true in the upgrade-config "
							+ "setting, so that the upgrade shuts VMs down and restores them.";
		};
	}

	private static List<String> names(List<KubeObject> nodes) {
		return nodes.stream().map(KubeObject::name).toList();
	}

	/**
	 * The nodes a VM could migrate to, indexed once per evaluation. Filtering every node for every VMI made the
	 * check quadratic (5 000 nodes with 25 000 VMIs: 125 million node visits, 40 s); now a VMI without a required
	 * node affinity costs a lookup, and one with an affinity stops at the first other schedulable node that
	 * matches.
	 */
	private static final class Targets {

		private final List<KubeObject> nodes;

		private final List<KubeObject> schedulable;

		private final Set<String> schedulableNames;

		Targets(List<KubeObject> nodes) {
			this.nodes = nodes;
			this.schedulable = nodes.stream().filter(n -> !Nodes.isUnschedulable(n)).toList();
			this.schedulableNames = new HashSet<>();
			this.schedulable.forEach(n -> this.schedulableNames.add(n.name()));
		}

		/** Whether a schedulable node other than {@code node} exists. */
		boolean anySchedulableOther(String node) {
			int own = (node != null && this.schedulableNames.contains(node)) ? 1 : 0;
			return this.schedulable.size() > own;
		}

		/** Whether a schedulable node other than {@code node} satisfies the affinity. */
		boolean anySchedulableOtherMatches(String node, NodeAffinity affinity) {
			for (KubeObject candidate : this.schedulable) {
				if (!candidate.name().equals(node) && affinity.matches(candidate)) {
					return true;
				}
			}
			return false;
		}

		List<KubeObject> others(String node) {
			return this.nodes.stream().filter(n -> !n.name().equals(node)).toList();
		}

		List<KubeObject> schedulableOthers(String node) {
			return this.schedulable.stream().filter(n -> !n.name().equals(node)).toList();
		}

	}

	/** A VM and its VMI share namespace and name. */
	private record Key(String namespace, String name) {

		static Key of(KubeObject object) {
			return new Key((object.namespace() != null) ? object.namespace() : "", object.name());
		}

	}

	/** What was found about one VMI. */
	private static final class Subject {

		/** The VMI's node, {@code null} when it has none (or no VMI). */
		private String node;

		private final List<String> reasons = new ArrayList<>();

		private final List<String> texts = new ArrayList<>();

		private final List<String> fixes = new ArrayList<>();

		private final Map<String, Object> details = new LinkedHashMap<>();

		void add(String reason, String text, String fix) {
			this.reasons.add(reason);
			this.texts.add(text);
			this.fixes.add(fix);
		}

	}

}
