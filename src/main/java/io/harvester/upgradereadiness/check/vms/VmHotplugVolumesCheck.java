package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * Hot-plugged volumes that KubeVirt's DeclarativeHotplugVolumes feature gate would break (Harvester webhook HV-18,
 * harvester/harvester#10243, PR #11147; in v1.8.2 and later).
 * <p>
 * With that gate the VM spec is the only source of truth for volumes: pending imperative requests in
 * {@code status.volumeRequests} are never processed again and block the VM's reconciliation (rule a), and a volume
 * hot-plugged into a running VMI without being added to the VM spec (an ephemeral hotplug) is unplugged on its own
 * (rule b). Rule b only looks at Running VMIs that have a VM of the same namespace and name; standalone VMIs are
 * skipped, as in Harvester. Harvester joins every offender into one message; we give one finding per VM (rule a)
 * and per VM and volume (rule b). Both exemptions of {@link RestoreVmGate} apply, as in Harvester.
 */
public final class VmHotplugVolumesCheck implements Check {

	static final String PENDING_MESSAGE = "There are VMs with pending volume hotplug requests (status.volumeRequests) "
			+ "which are no longer processed with the DeclarativeHotplugVolumes feature gate and block the VM "
			+ "reconciliation. Stop and start these VMs before initiating the upgrade: ";

	static final String EPHEMERAL_MESSAGE = "There are running VMs with hot-plugged volumes that exist in the VMI but "
			+ "not in the VM spec. Such volumes are hot-unplugged automatically with the DeclarativeHotplugVolumes "
			+ "feature gate. Remove the volumes or make them persistent before initiating the upgrade: ";

	static final CheckDefinition DEFINITION = new CheckDefinition("vm-hotplug-volumes",
			"No stale or ephemeral hot-plugged volumes", "vms", Severity.ERROR, true,
			"No VirtualMachine may have pending volume hotplug requests (status.volumeRequests), and every volume "
					+ "hot-plugged into a Running VirtualMachineInstance (persistentVolumeClaim or dataVolume with "
					+ "hotpluggable: true) must also be in its VM's spec.template.spec.volumes. Skipped when the "
					+ "upgrade-config setting has restoreVM: true or when there is only one non-witness node.",
			List.of(WatchedKind.VIRTUAL_MACHINES, WatchedKind.VIRTUAL_MACHINE_INSTANCES, WatchedKind.NODES),
			"Upgrade webhook since v1.8.2 (HV-18, harvester/harvester#10243, PR #11147), for the "
					+ "DeclarativeHotplugVolumes feature gate",
			"v1.8.2", List.of(WatchedKind.SETTINGS));

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
		List<Finding> findings = new ArrayList<>();
		gate.invalidFinding(DEFINITION).ifPresent(findings::add);
		Map<String, KubeObject> vms = new HashMap<>();
		for (KubeObject vm : snapshot.objects(WatchedKind.VIRTUAL_MACHINES)) {
			vms.put(vm.ref().qualifiedName(), vm);
			pendingRequests(vm, gate).ifPresent(findings::add);
		}
		for (KubeObject vmi : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES)) {
			KubeObject vm = vms.get(vmi.ref().qualifiedName());
			if (vm != null && "Running".equals(vmi.string("status.phase").orElse(null))) {
				findings.addAll(ephemeralVolumes(vm, vmi, gate));
			}
		}
		return CheckOutcome.of(findings);
	}

	private static Optional<Finding> pendingRequests(KubeObject vm, RestoreVmGate gate) {
		String path = "status.volumeRequests";
		List<Map<String, Object>> requests = vm.objects(path);
		if (requests.isEmpty()) {
			return Optional.empty();
		}
		List<String> volumes = new ArrayList<>();
		for (Map<String, Object> request : requests) {
			Map<String, Object> add = RawFields.map(vm, request, "addVolumeOptions", path + "[]");
			Map<String, Object> remove = RawFields.map(vm, request, "removeVolumeOptions", path + "[]");
			RawFields.string(vm, add, "name", path + "[].addVolumeOptions").ifPresent(v -> volumes.add("add " + v));
			RawFields.string(vm, remove, "name", path + "[].removeVolumeOptions")
				.ifPresent(v -> volumes.add("remove " + v));
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("volumeRequests", requests.size());
		details.put("requests", volumes);
		vm.string("status.printableStatus").ifPresent(status -> details.put("printableStatus", status));
		gate.describe(details);
		return Optional.of(Finding.of(DEFINITION, "pending-volume-requests", PENDING_MESSAGE + vm.ref().qualifiedName(),
				"Stop the VM and start it again, so that KubeVirt drops the stale requests (Stop, then Start in the "
						+ "Harvester UI, or virtctl stop " + vm.name() + " -n " + vm.namespace() + " and virtctl start "
						+ vm.name() + " -n " + vm.namespace() + " once it is Stopped), and check that "
						+ "status.volumeRequests is gone: kubectl get virtualmachines.kubevirt.io -n " + vm.namespace()
						+ " " + vm.name() + " -o jsonpath='{.status.volumeRequests}'.",
				List.of(vm.ref()), details));
	}

	private static List<Finding> ephemeralVolumes(KubeObject vm, KubeObject vmi, RestoreVmGate gate) {
		String vmPath = "spec.template.spec.volumes";
		Set<String> declared = new HashSet<>();
		for (Map<String, Object> volume : vm.objects(vmPath)) {
			RawFields.string(vm, volume, "name", vmPath + "[]").ifPresent(declared::add);
		}
		String path = "spec.volumes";
		List<Finding> findings = new ArrayList<>();
		for (Map<String, Object> volume : vmi.objects(path)) {
			Map<String, Object> pvc = RawFields.map(vmi, volume, "persistentVolumeClaim", path + "[]");
			Map<String, Object> dataVolume = RawFields.map(vmi, volume, "dataVolume", path + "[]");
			boolean hotpluggable = RawFields.isTrue(vmi, pvc, "hotpluggable", path + "[].persistentVolumeClaim")
					|| RawFields.isTrue(vmi, dataVolume, "hotpluggable", path + "[].dataVolume");
			String name = RawFields.string(vmi, volume, "name", path + "[]").orElse(null);
			if (!hotpluggable || name == null || declared.contains(name)) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("volume", name);
			RawFields.string(vmi, pvc, "claimName", path + "[].persistentVolumeClaim")
				.ifPresent(claim -> details.put("claimName", claim));
			RawFields.string(vmi, dataVolume, "name", path + "[].dataVolume")
				.ifPresent(dv -> details.put("dataVolume", dv));
			vmi.string("status.nodeName").ifPresent(node -> details.put("node", node));
			gate.describe(details);
			String where = " -n " + vm.namespace();
			Object source = details.getOrDefault("claimName", details.getOrDefault("dataVolume", "<claim>"));
			findings.add(Finding.of(DEFINITION, "ephemeral-hotplug-volume",
					EPHEMERAL_MESSAGE + vm.ref().qualifiedName() + " (volume " + name + ")",
					"Either unplug the volume (virtctl removevolume " + vm.name() + " --volume-name=" + name + where
							+ ") or make it persistent, so that it is in the VM spec: unplug it, then plug it "
							+ "again with virtctl addvolume " + vm.name() + " --volume-name=" + source
							+ " --persist" + where + ".",
					List.of(vm.ref(), vmi.ref()), details));
		}
		return findings;
	}

}
