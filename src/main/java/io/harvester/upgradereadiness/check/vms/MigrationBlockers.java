package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.VersionGate;
import io.harvester.upgradereadiness.cluster.KubeObject;

/**
 * The reasons a VMI can never live-migrate, whatever room the nodes have: shared by {@code vms-live-migratable} and
 * the drain rehearsal, so that both read a VMI the same way. Everything is read from the VMI (as Harvester's
 * {@code GetAllNonLiveMigratableVMINames} does); the VM, when given, only adds its status to the details.
 * <p>
 * The node-dependent reasons (required node affinity, no other schedulable node) are not here: they depend on which
 * nodes are left, which each caller models itself.
 * <ul>
 * <li>{@code nodeSelector}: any {@code spec.nodeSelector}, even empty (Harvester v1.2.2+).</li>
 * <li>{@code hostDevices}: PCI or USB devices, and vGPUs from v1.8.0 ({@code spec.domain.devices.hostDevices}).</li>
 * <li>{@code gpus}: vGPUs in {@code spec.domain.devices.gpus} (v1.7.x and before). Harvester's upgrade webhook never
 * read this field (harvester/harvester#10388); the VM cannot migrate all the same, so it is ours, on every
 * version.</li>
 * <li>{@code cdrom} and {@code containerDisk}: a CD-ROM disk or a {@code containerDisk} volume. Harvester's webhook
 * refused them only on {@link #CDROM_OR_CONTAINER_DISK} (added {@code a364b9095e46}, v1.4.1; removed
 * {@code ef1bcad99ca9}, v1.8.0, when CD-ROMs became hot-pluggable volumes, harvester/harvester#9779). Judged by the
 * running version, whose webhook enforces it; when that cannot be read the rule applies and says so.</li>
 * <li>{@code kubevirtNotMigratable}: KubeVirt's own verdict, the VMI condition {@code LiveMigratable=False} (RWO or
 * non-shared disks, bridge interfaces, virtiofs, persistent reservations…). KubeVirt refuses the migration, so the
 * evacuation never moves the VM and the pre-drain waits for it forever. No Harvester upgrade check reads it (its
 * migrate action does, from v1.8.0), so it is ours, on every version.</li>
 * </ul>
 */
public final class MigrationBlockers {

	/** The running versions whose Upgrade webhook refuses CD-ROM disks and containerDisk volumes. */
	public static final VersionGate CDROM_OR_CONTAINER_DISK = VersionGate.onCurrent("v1.4.1", "v1.8.0");

	static final String DISKS = "spec.domain.devices.disks";

	static final String VOLUMES = "spec.volumes";

	static final String HOST_DEVICES = "spec.domain.devices.hostDevices";

	static final String GPUS = "spec.domain.devices.gpus";

	static final String CONDITIONS = "status.conditions";

	private MigrationBlockers() {
	}

	/**
	 * The reasons this VMI cannot live-migrate whatever the nodes, in a stable order; empty when there are none.
	 * @param vmi the VirtualMachineInstance
	 * @param vmOrNull its VirtualMachine (same namespace and name), {@code null} when there is none or it is unknown
	 * @param versions the evaluation's versions, which decide the version-bound reasons
	 * @throws io.harvester.upgradereadiness.cluster.MalformedFieldException when a field read has the wrong shape
	 */
	public static List<MigrationBlocker> intrinsic(KubeObject vmi, KubeObject vmOrNull, HarvesterVersions versions) {
		List<MigrationBlocker> blockers = new ArrayList<>();
		if (vmi.value("spec.nodeSelector").isPresent()) {
			blockers.add(new MigrationBlocker("nodeSelector", "spec.nodeSelector pins it to a node",
					"remove spec.template.spec.nodeSelector from the VM (and restart it)",
					Map.of("nodeSelector", vmi.map("spec.nodeSelector"))));
		}
		List<String> hostDevices = deviceNames(vmi, HOST_DEVICES);
		if (!hostDevices.isEmpty()) {
			blockers.add(new MigrationBlocker("hostDevices", plural(hostDevices.size(), "host device", "host devices")
					+ " attached: " + String.join(", ", hostDevices), "detach the PCI/USB devices",
					Map.of("hostDevices", hostDevices)));
		}
		List<String> gpus = deviceNames(vmi, GPUS);
		if (!gpus.isEmpty()) {
			blockers.add(new MigrationBlocker("gpus", plural(gpus.size(), "vGPU", "vGPUs") + " attached: "
					+ String.join(", ", gpus), "detach the vGPUs", Map.of("gpus", gpus)));
		}
		VersionGate.Decision media = CDROM_OR_CONTAINER_DISK.decide(versions);
		if (media.applies()) {
			String note = (media == VersionGate.Decision.ASSUMED) ? assumedNote(versions) : "";
			List<String> cdroms = cdroms(vmi);
			if (!cdroms.isEmpty()) {
				blockers.add(new MigrationBlocker("cdrom", plural(cdroms.size(), "CD-ROM disk", "CD-ROM disks")
						+ " attached: " + String.join(", ", cdroms) + note,
						"eject the CD-ROM (remove the disk and its volume from the VM)",
						gated(Map.of("cdroms", cdroms), vmOrNull, versions)));
			}
			List<String> containerDisks = containerDisks(vmi);
			if (!containerDisks.isEmpty()) {
				blockers.add(new MigrationBlocker("containerDisk",
						plural(containerDisks.size(), "containerDisk volume", "containerDisk volumes") + ": "
								+ String.join(", ", containerDisks) + note,
						"replace the containerDisk volumes by volumes from a VM image (persistent volume claims)",
						gated(Map.of("containerDisks", containerDisks), vmOrNull, versions)));
			}
		}
		kubevirtVerdict(vmi).ifPresent(blockers::add);
		return List.copyOf(blockers);
	}

	/** The note a version-bound reason carries when the running version cannot be read. */
	private static String assumedNote(HarvesterVersions versions) {
		return " (Harvester refuses it on " + CDROM_OR_CONTAINER_DISK.describe() + "; "
				+ (versions.current() == null ? "the running version could not be read"
						: "the running version " + versions.current() + " cannot be compared")
				+ ", so the rule is applied)";
	}

	private static Map<String, Object> gated(Map<String, Object> what, KubeObject vm, HarvesterVersions versions) {
		Map<String, Object> details = new LinkedHashMap<>(what);
		details.put("versionGate", CDROM_OR_CONTAINER_DISK.describe());
		CDROM_OR_CONTAINER_DISK.assumption(versions).ifPresent(why -> details.put("versionAssumed", why));
		if (vm != null) {
			vm.string("status.printableStatus").ifPresent(status -> details.put("printableStatus", status));
		}
		return details;
	}

	private static Optional<MigrationBlocker> kubevirtVerdict(KubeObject vmi) {
		return vmi.condition(CONDITIONS, "LiveMigratable").filter(c -> "False".equals(c.status())).map(c -> {
			String why = (c.reason() != null ? c.reason() : "no reason given")
					+ (c.message() != null ? ": " + c.message() : "");
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("kubevirtReason", c.reason());
			details.put("kubevirtMessage", c.message());
			return new MigrationBlocker("kubevirtNotMigratable",
					"KubeVirt marks it not live-migratable (LiveMigratable=False, " + why + "); the node drain "
							+ "would wait for it forever",
					"remove what KubeVirt names (for DisksNotLiveMigratable: use ReadWriteMany volumes, as Harvester's "
							+ "Longhorn storage class provides; for InterfaceNotLiveMigratable: use bridge or masquerade "
							+ "interfaces)",
					details);
		});
	}

	private static List<String> cdroms(KubeObject vmi) {
		List<String> names = new ArrayList<>();
		for (Map<String, Object> disk : vmi.objects(DISKS)) {
			if (disk.get("cdrom") != null) {
				names.add(RawFields.string(vmi, disk, "name", DISKS + "[]").orElse("(unnamed)"));
			}
		}
		return names;
	}

	private static List<String> containerDisks(KubeObject vmi) {
		List<String> names = new ArrayList<>();
		for (Map<String, Object> volume : vmi.objects(VOLUMES)) {
			if (volume.get("containerDisk") != null) {
				String name = RawFields.string(vmi, volume, "name", VOLUMES + "[]").orElse("(unnamed)");
				Optional<String> image = RawFields.string(vmi,
						RawFields.map(vmi, volume, "containerDisk", VOLUMES + "[]"), "image",
						VOLUMES + "[].containerDisk");
				names.add(name + image.map(i -> " (" + i + ")").orElse(""));
			}
		}
		return names;
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

	private static String plural(int count, String one, String many) {
		return (count == 1) ? one : many;
	}

}
