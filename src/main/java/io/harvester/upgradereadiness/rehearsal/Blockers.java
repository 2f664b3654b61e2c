package io.harvester.upgradereadiness.rehearsal;

import java.util.List;
import java.util.Set;

import io.harvester.upgradereadiness.check.vms.MigrationBlocker;

/**
 * What Harvester does with a VM that never live-migrates ({@link io.harvester.upgradereadiness.check.vms.MigrationBlockers}
 * says why), by who catches it: the Upgrade webhook refuses to start the upgrade while such a VM runs (node
 * selector, host devices, and CD-ROM or containerDisk on the versions whose webhook reads them), unless restoreVM is
 * set; the pre-drain detector ({@code GetAllNonLiveMigratableVMINames}) then stops and later restores only VMs with a
 * node selector or host devices. Whatever neither catches (vGPUs in {@code gpus}, harvester/harvester#10388;
 * KubeVirt's {@code LiveMigratable=False}) is neither migrated nor stopped: the pre-drain waits for it forever.
 */
final class Blockers {

	private static final Set<String> WEBHOOK = Set.of("nodeSelector", "hostDevices", "cdrom", "containerDisk");

	private static final Set<String> DETECTOR = Set.of("nodeSelector", "hostDevices");

	private Blockers() {
	}

	static boolean refusedByWebhook(List<MigrationBlocker> blockers) {
		return blockers.stream().anyMatch(b -> WEBHOOK.contains(b.code()));
	}

	static boolean stoppedByDetector(List<MigrationBlocker> blockers) {
		return blockers.stream().anyMatch(b -> DETECTOR.contains(b.code()));
	}

}
