package io.harvester.upgradereadiness.check.vms;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The vms checks, in the order reports list them. */
public final class VmChecks {

	private VmChecks() {
	}

	public static List<Check> all() {
		return List.of(new VmBackupsIdleCheck(), new BackupSchedulesSuspendedCheck(), new VmsLiveMigratableCheck(),
				new VmHotplugVolumesCheck(), new BackupTargetRefreshIntervalCheck(), new VmCpuModelCompatibleCheck(),
				new DrainCapacityCheck());
	}

}
