package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.Comparator;
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
import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Every VM must be able to live-migrate off its node, since the upgrade drains the nodes one by one (Harvester
 * webhook HV-17 since v1.2.2, harvester/harvester#3019; the pre-check script's CD-ROM rule UH-14,
 * harvester/harvester#8657).
 * <p>
 * Like Harvester, every VirtualMachineInstance is looked at, whatever its phase, and is non-migratable when it has
 * a {@code spec.nodeSelector} (any, even empty), host devices (PCI or USB, {@code spec.domain.devices.hostDevices})
 * or vGPUs ({@code spec.domain.devices.gpus}, flagged by Harvester since v1.8.0, harvester/harvester#10388), or when
 * no other non-witness node is both schedulable and a match for its required node affinity; with no required
 * affinity that means no other schedulable node at all. Pod (anti-)affinity is not evaluated, as in Harvester
 * (harvester/harvester#5077). From the script: a VirtualMachine that is not {@code Stopped} (an absent
 * {@code printableStatus} counts as not stopped) with a CD-ROM disk cannot migrate either.
 * <p>
 * Harvester lists every VMI in one message and stops at the first reason per VMI; we give one finding per VM
 * (VM and VMI share namespace and name) with every reason. Both exemptions of {@link RestoreVmGate} apply.
 */
public final class VmsLiveMigratableCheck implements Check {

	static final String MESSAGE = "There are non-live migratable VMs that need to be shut off before initiating the "
			+ "upgrade: ";

	static final String AFFINITY_PATH = "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";

	static final CheckDefinition DEFINITION = new CheckDefinition("vms-live-migratable", "VMs can be live-migrated",
			"vms", Severity.ERROR, true,
			"Every VirtualMachineInstance must be live-migratable: no spec.nodeSelector, no host devices or vGPUs, "
					+ "and another schedulable non-witness node that satisfies its required node affinity; and no "
					+ "VirtualMachine that is not Stopped may have a CD-ROM disk. Skipped when the upgrade-config "
					+ "setting has restoreVM: true (VMs are shut down and restored) or when there is only one "
					+ "non-witness node.",
			List.of(WatchedKind.VIRTUAL_MACHINE_INSTANCES, WatchedKind.VIRTUAL_MACHINES, WatchedKind.NODES),
			"Upgrade webhook since v1.2.2 (HV-17, harvester/harvester#3019; restoreVM exemption since v1.6.0); "
					+ "CD-ROM rule from upgrade-helpers pre-check (UH-14, harvester/harvester#8657)",
			"v1.2.2", List.of(WatchedKind.SETTINGS));

	private static final Comparator<Key> KEY_ORDER = Comparator.comparing(Key::namespace).thenComparing(Key::name);

	/** Stands for the {@code otherNodes} detail until a finding needs it; keeps the detail's place in the map. */
	private static final Object OTHER_NODES = new Object();

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		RestoreVmGate gate = RestoreVmGate.read(snapshot);
		List<KubeObject> nodes = RestoreVmGate.nonWitnessNodes(snapshot);
		Optional<CheckOutcome> exempt = gate.exemption(DEFINITION, nodes);
		if (exempt.isPresent()) {
			return exempt.get();
		}
		Map<Key, Subject> subjects = new TreeMap<>(KEY_ORDER);
		Targets targets = null;
		for (KubeObject vmi : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES)) {
			Subject subject = subjects.computeIfAbsent(Key.of(vmi), k -> new Subject());
			subject.vmi = vmi;
			if (targets == null) {
				targets = new Targets(nodes);
			}
			examineInstance(vmi, targets, subject);
		}
		for (KubeObject vm : snapshot.objects(WatchedKind.VIRTUAL_MACHINES)) {
			Subject subject = subjects.computeIfAbsent(Key.of(vm), k -> new Subject());
			subject.vm = vm;
			examineMachine(vm, subject);
		}
		List<Finding> findings = new ArrayList<>();
		gate.invalidFinding(DEFINITION).ifPresent(findings::add);
		Targets known = targets;
		subjects.forEach((key, subject) -> {
			if (!subject.reasons.isEmpty()) {
				findings.add(finding(key, subject, gate, nodes.size(), known));
			}
		});
		return CheckOutcome.of(findings);
	}

	private static void examineInstance(KubeObject vmi, Targets targets, Subject subject) {
		if (vmi.value("spec.nodeSelector").isPresent()) {
			subject.add("nodeSelector", "spec.nodeSelector pins it to a node",
					"remove spec.template.spec.nodeSelector from the VM (and restart it)");
			subject.details.put("nodeSelector", vmi.map("spec.nodeSelector"));
		}
		List<String> hostDevices = deviceNames(vmi, "spec.domain.devices.hostDevices");
		if (!hostDevices.isEmpty()) {
			subject.add("hostDevices", plural(hostDevices.size(), "host device", "host devices") + " attached: "
					+ String.join(", ", hostDevices), "detach the PCI/USB devices");
			subject.details.put("hostDevices", hostDevices);
		}
		List<String> gpus = deviceNames(vmi, "spec.domain.devices.gpus");
		if (!gpus.isEmpty()) {
			subject.add("gpus", plural(gpus.size(), "vGPU", "vGPUs") + " attached: " + String.join(", ", gpus),
					"detach the vGPUs");
			subject.details.put("gpus", gpus);
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
		subject.details.put("node", currentNode);
		// Every node but its own: listed only if the VM ends up in a finding (see finding()), as the list is as
		// long as the cluster and most VMs have none.
		subject.node = currentNode;
		subject.details.put("otherNodes", OTHER_NODES);
		vmi.string("status.phase").ifPresent(phase -> subject.details.put("phase", phase));
	}

	private static void examineMachine(KubeObject vm, Subject subject) {
		String printableStatus = vm.string("status.printableStatus").orElse(null);
		if ("Stopped".equals(printableStatus)) {
			return;
		}
		String path = "spec.template.spec.domain.devices.disks";
		List<String> cdroms = new ArrayList<>();
		for (Map<String, Object> disk : vm.objects(path)) {
			if (disk.get("cdrom") != null) {
				cdroms.add(RawFields.string(vm, disk, "name", path + "[]").orElse("(unnamed)"));
			}
		}
		if (!cdroms.isEmpty()) {
			subject.add("cdrom", plural(cdroms.size(), "CD-ROM disk", "CD-ROM disks") + " attached: "
					+ String.join(", ", cdroms), "eject the CD-ROM (remove the disk and its volume from the VM)");
			subject.details.put("cdroms", cdroms);
			subject.details.put("printableStatus", printableStatus);
		}
	}

	private static Finding finding(Key key, Subject subject, RestoreVmGate gate, int nonWitnessNodes,
			Targets targets) {
		List<ResourceRef> resources = new ArrayList<>();
		if (subject.vm != null) {
			resources.add(subject.vm.ref());
		}
		if (subject.vmi != null) {
			resources.add(subject.vmi.ref());
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("reasons", List.copyOf(subject.reasons));
		details.putAll(subject.details);
		if (details.get("otherNodes") == OTHER_NODES) {
			details.put("otherNodes", names(targets.others(subject.node)));
		}
		details.put("nonWitnessNodes", nonWitnessNodes);
		gate.describe(details);
		String qualified = key.namespace() + "/" + key.name();
		String remediation = "Shut the VM off before the upgrade (Stop in the Harvester UI, or virtctl stop "
				+ key.name() + " -n " + key.namespace() + ") and start it again afterwards, or make it migratable: "
				+ String.join("; ", subject.fixes) + ". On Harvester v1.6.0 and later you can instead set "
				+ "restoreVM: true in the upgrade-config setting, so that the upgrade shuts VMs down and restores "
				+ "them.";
		return Finding.of(DEFINITION, "non-live-migratable-vm",
				MESSAGE + qualified + " (" + String.join("; ", subject.texts) + ")", remediation, resources, details);
	}

	private static List<String> deviceNames(KubeObject vmi, String path) {
		List<String> names = new ArrayList<>();
		for (Map<String, Object> device : vmi.objects(path)) {
			Optional<String> name = RawFields.string(vmi, device, "name", path + "[]");
			Optional<String> deviceName = RawFields.string(vmi, device, "deviceName", path + "[]");
			names.add(name.orElse("(unnamed)") + deviceName.map(d -> " (" + d + ")").orElse(""));
		}
		return names;
	}

	private static List<String> names(List<KubeObject> nodes) {
		return nodes.stream().map(KubeObject::name).toList();
	}

	private static String plural(int count, String one, String many) {
		return (count == 1) ? one : many;
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

	/** What was found about one VM and its VMI. */
	private static final class Subject {

		private KubeObject vm;

		private KubeObject vmi;

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
