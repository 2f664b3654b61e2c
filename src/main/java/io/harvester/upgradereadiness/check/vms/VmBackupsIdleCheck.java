package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
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
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * No VM backup or snapshot may be in progress (Harvester webhook, HV-09, harvester/harvester#6754, PR #6755).
 * <p>
 * A backup or snapshot holds a Longhorn VolumeAttachment ticket on its volumes, which blocks the live migration
 * the upgrade relies on to drain nodes. Harvester counts a {@code VirtualMachineBackup} as processing when it has no
 * {@code status.error} and {@code status.readyToUse} is absent or false: so a backup that has not started yet (no
 * status at all) counts too, and a failed one does not. Harvester names only the first; we report each one, in
 * Harvester's wording.
 */
public final class VmBackupsIdleCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("vm-backups-idle", "No VM backup is in progress",
			"vms", Severity.ERROR, true,
			"No VirtualMachineBackup (virtualmachinebackups.harvesterhci.io, all namespaces; backups and snapshots "
					+ "alike) may be in progress: one without status.error whose status.readyToUse is absent or "
					+ "false blocks the upgrade, since it holds a Longhorn volume attachment that stops live "
					+ "migration.",
			List.of(WatchedKind.VM_BACKUPS), "Upgrade webhook since v1.4.0 (HV-09, harvester/harvester#6754)",
			"v1.4.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject backup : snapshot.objects(WatchedKind.VM_BACKUPS)) {
			boolean failed = backup.value("status.error").isPresent();
			boolean ready = backup.bool("status.readyToUse").orElse(false);
			if (failed || ready) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			backup.string("spec.type").ifPresent(type -> details.put("type", type));
			backup.string("spec.source.name").ifPresent(vm -> details.put("vm", vm));
			details.put("readyToUse", backup.bool("status.readyToUse").orElse(null));
			backup.integer("status.progress").ifPresent(progress -> details.put("progress", progress));
			findings.add(Finding.of(DEFINITION, "backup-in-progress",
					"please wait until all vmbackups are stopped, for example " + backup.ref().qualifiedName()
							+ " is under processing",
					"Wait for the backup or snapshot to complete (readyToUse: true), then retry: kubectl get "
							+ "virtualmachinebackups.harvesterhci.io -n " + backup.namespace() + " " + backup.name()
							+ " -o yaml (status.progress, status.error). If it is stuck and no longer needed, delete "
							+ "it: kubectl delete virtualmachinebackups.harvesterhci.io -n " + backup.namespace() + " "
							+ backup.name() + ".",
					List.of(backup.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
