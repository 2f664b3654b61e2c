package io.harvester.upgradereadiness.check.vms;

import java.util.List;

import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reasons a VMI can never live-migrate, read from the VMI alone, with the version-bound ones by version. */
class MigrationBlockersTests {

	private static final KubeObject INSTALLER = Snapshots.single(WatchedKind.VIRTUAL_MACHINE_INSTANCES, """
			apiVersion: kubevirt.io/v1
			kind: VirtualMachineInstance
			metadata:
			  name: installer
			  namespace: default
			spec:
			  domain:
			    devices:
			      disks:
			      - bootOrder: 2
			        cdrom:
			          bus: sata
			        name: cdrom-disk
			      - bootOrder: 1
			        disk:
			          bus: virtio
			        name: disk-0
			      - disk:
			          bus: virtio
			        name: tools
			  volumes:
			  - name: cdrom-disk
			    persistentVolumeClaim:
			      claimName: installer-cdrom-disk-x2k9l
			  - name: disk-0
			    persistentVolumeClaim:
			      claimName: installer-disk-0-x2k9l
			  - containerDisk:
			      image: registry.example.com/tools:1.2
			      imagePullPolicy: IfNotPresent
			    name: tools
			status:
			  conditions:
			  - lastProbeTime: null
			    lastTransitionTime: null
			    message: 'cannot migrate VMI: PVC disk-0 is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)'
			    reason: DisksNotLiveMigratable
			    status: "False"
			    type: LiveMigratable
			  nodeName: harv1
			  phase: Running
			""");

	@Test
	void onV17TheWebhookRulesAndKubevirtsVerdictAllBlock() {
		List<MigrationBlocker> blockers = MigrationBlockers.intrinsic(INSTALLER, null, HarvesterVersions.of("v1.7.2", null));
		assertThat(blockers).extracting(MigrationBlocker::code)
			.containsExactly("cdrom", "containerDisk", "kubevirtNotMigratable");
		assertThat(blockers.get(0).text()).isEqualTo("CD-ROM disk attached: cdrom-disk");
		assertThat(blockers.get(1).text()).isEqualTo("containerDisk volume: tools (registry.example.com/tools:1.2)");
		assertThat(blockers.get(2).text()).isEqualTo("KubeVirt marks it not live-migratable (LiveMigratable=False, "
				+ "DisksNotLiveMigratable: cannot migrate VMI: PVC disk-0 is not shared, live migration requires that "
				+ "all PVCs must be shared (using ReadWriteMany access mode)); the node drain would wait for it forever");
		assertThat(blockers.get(2).details()).containsEntry("kubevirtReason", "DisksNotLiveMigratable");
	}

	@Test
	void fromV18OnlyKubevirtsVerdictBlocks() {
		assertThat(MigrationBlockers.intrinsic(INSTALLER, null, HarvesterVersions.of("v1.8.0", null)))
			.extracting(MigrationBlocker::code)
			.containsExactly("kubevirtNotMigratable");
	}

	@Test
	void withoutARunningVersionTheWebhookRulesApplyAndSaySo() {
		List<MigrationBlocker> blockers = MigrationBlockers.intrinsic(INSTALLER, null, HarvesterVersions.unknown());
		assertThat(blockers).extracting(MigrationBlocker::code)
			.containsExactly("cdrom", "containerDisk", "kubevirtNotMigratable");
		assertThat(blockers.get(0).text()).isEqualTo("CD-ROM disk attached: cdrom-disk (Harvester refuses it on "
				+ "v1.4.1 <= current < v1.8.0; the running version could not be read, so the rule is applied)");
		assertThat(blockers.get(0).details()).containsKey("versionAssumed");
	}

}
