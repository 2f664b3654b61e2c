package io.harvester.upgradereadiness.rehearsal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.KubeObject;

/**
 * Why a VMI never live-migrates, whatever the nodes' room (the reasons {@code vms-live-migratable} reports, and
 * KubeVirt's {@code LiveMigratable=False}); and which of them Harvester's pre-drain detector acts on (it stops
 * those VMs, and restores them with restoreVM), the others leaving the pre-drain to wait forever.
 */
final class Blockers {

	private Blockers() {
	}

	/**
	 * @param code the reason code ({@code nodeSelector}, {@code hostDevices}, {@code gpus},
	 * {@code kubevirtNotMigratable})
	 * @param text the reason
	 */
	record Blocker(String code, String text) {
	}

	static List<Blocker> intrinsic(KubeObject vmi, RehearsalInput input) {
		List<Blocker> blockers = new ArrayList<>();
		if (vmi.value("spec.nodeSelector").isPresent()) {
			blockers.add(new Blocker("nodeSelector", "spec.nodeSelector pins it to a node"));
		}
		List<String> hostDevices = names(vmi, "spec.domain.devices.hostDevices");
		if (!hostDevices.isEmpty()) {
			blockers.add(new Blocker("hostDevices", "host devices attached: " + String.join(", ", hostDevices)));
		}
		List<String> gpus = names(vmi, "spec.domain.devices.gpus");
		if (!gpus.isEmpty()) {
			blockers.add(new Blocker("gpus", "vGPUs attached: " + String.join(", ", gpus)));
		}
		vmi.condition("status.conditions", "LiveMigratable")
			.filter(c -> "False".equals(c.status()))
			.ifPresent(c -> blockers.add(new Blocker("kubevirtNotMigratable",
					"KubeVirt says it is not live-migratable: " + c.describe())));
		return blockers;
	}

	/**
	 * Whether the target's pre-drain detector ({@code GetAllNonLiveMigratableVMINames}) catches it: node
	 * selectors and host devices, vGPUs from v1.8.0 (harvester/harvester#10388).
	 */
	static boolean detectedByHarvester(Blocker blocker, RehearsalInput input) {
		return switch (blocker.code()) {
			case "nodeSelector", "hostDevices" -> true;
			case "gpus" -> input.targetAtLeast(1, 8).orElse(true);
			default -> false;
		};
	}

	private static List<String> names(KubeObject vmi, String path) {
		List<String> names = new ArrayList<>();
		for (Map<String, Object> device : vmi.objects(path)) {
			Object name = device.get("name");
			Object deviceName = device.get("deviceName");
			names.add((name != null ? name : "(unnamed)") + (deviceName != null ? " (" + deviceName + ")" : ""));
		}
		return names;
	}

}
