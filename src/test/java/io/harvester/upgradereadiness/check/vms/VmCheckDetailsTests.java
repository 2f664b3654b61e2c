package io.harvester.upgradereadiness.check.vms;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The facts the VM checks put in their findings' details, on the fixture clusters. */
class VmCheckDetailsTests {

	private static final Path FIXTURES = Path.of("src/test/resources/checks");

	@Test
	void liveMigrationSaysWhyRestoreVmCountsAsFalse() {
		Finding finding = findings(new VmsLiveMigratableCheck(), "vms-live-migratable/fail-node-selector").get(0);
		assertThat(finding.details()).containsEntry("reasons", List.of("nodeSelector"))
			.containsEntry("nodeSelector", Map.of("kubernetes.io/hostname", "harv1"))
			.containsEntry("node", "harv1")
			.containsEntry("otherNodes", List.of("harv2", "harv3"))
			.containsEntry("nonWitnessNodes", 3)
			.containsEntry("restoreVM", false)
			.containsEntry("restoreVMFrom",
					"settings.harvesterhci.io is not in the snapshot: restoreVM taken as false");
		assertThat(finding.remediation()).contains("virtctl stop vm1 -n default")
			.contains("remove spec.template.spec.nodeSelector");
	}

	@Test
	void liveMigrationNamesTheNodesTheAffinityWasTriedOn() {
		List<Finding> findings = findings(new VmsLiveMigratableCheck(), "vms-live-migratable/fail-node-affinity");
		Finding zone = findings.stream().filter(f -> f.message().contains("default/vm-zone")).findFirst().orElseThrow();
		assertThat(zone.details()).containsEntry("reasons", List.of("nodeAffinity"))
			.containsEntry("schedulableNodes", List.of("harv1"))
			.containsEntry("otherNodes", List.of("harv1", "harv3"))
			.containsEntry("restoreVMFrom", "setting upgrade-config");
		Finding witness = findings.stream()
			.filter(f -> f.message().contains("default/vm-witness"))
			.findFirst()
			.orElseThrow();
		assertThat(witness.details()).as("the witness node is never a target")
			.containsEntry("schedulableNodes", List.of("harv2"));
	}

	@Test
	void beforeV16RestoreVmIsNotReadAndTheRemediationSaysWhy() {
		Finding finding = findings(new VmsLiveMigratableCheck(), "vms-live-migratable/fail-restore-vm-v1.5").get(0);
		assertThat(finding.details()).containsEntry("restoreVM", false)
			.containsEntry("restoreVMFrom",
					"not read: Harvester honours restoreVM from v1.6.0, the running version is v1.5.0");
		assertThat(finding.remediation()).endsWith("The restoreVM option of the upgrade-config setting, which shuts "
				+ "VMs down and restores them, exists only from Harvester v1.6.0 (this cluster runs v1.5.0).");
	}

	@Test
	void withoutARunningVersionRestoreVmTrueIsNotTakenIntoAccountAndTheFindingSaysSo() {
		Finding finding = findings(new VmsLiveMigratableCheck(),
				"vms-live-migratable/fail-restore-vm-version-unknown").get(0);
		String why = "setting upgrade-config has restoreVM: true, but Harvester honours it only from v1.6.0 and the "
				+ "running version cannot be read (no setting server-version with a value in the snapshot): not "
				+ "taken into account";
		assertThat(finding.details()).containsEntry("restoreVM", false).containsEntry("restoreVMFrom", why);
		assertThat(finding.remediation()).endsWith("The " + why.substring("setting ".length()) + ".");
	}

	@Test
	void kubevirtsVerdictIsNamedInTheDetails() {
		Finding finding = findings(new VmsLiveMigratableCheck(), "vms-live-migratable/fail-kubevirt-not-migratable")
			.get(0);
		assertThat(finding.details()).containsEntry("reasons", List.of("kubevirtNotMigratable"))
			.containsEntry("kubevirtReason", "DisksNotLiveMigratable")
			.containsEntry("node", "harv1")
			.containsEntry("restoreVMFrom", "setting upgrade-config");
	}

	@Test
	void aGatedReasonNamesItsRangeAndWhetherItWasAssumed() {
		Finding known = findings(new VmsLiveMigratableCheck(), "vms-live-migratable/fail-container-disk-v1.6").get(0);
		assertThat(known.details()).containsEntry("reasons", List.of("containerDisk"))
			.containsEntry("containerDisks", List.of("containerdisk (quay.io/kubevirt/cirros-container-disk-demo:v1.4.0)"))
			.containsEntry("versionGate", "v1.4.1 <= current < v1.8.0")
			.containsEntry("printableStatus", "Running")
			.doesNotContainKey("versionAssumed");
		Finding assumed = findings(new VmsLiveMigratableCheck(), "vms-live-migratable/fail-cdrom-version-unknown")
			.get(0);
		assertThat(assumed.details()).containsEntry("reasons", List.of("cdrom")).containsEntry("versionAssumed",
				"the running version cannot be read (no setting server-version with a value in the snapshot), so this "
						+ "rule (in force on v1.4.1 <= current < v1.8.0) is applied");
	}

	@Test
	void hotplugNamesTheVolumeAndItsClaim() {
		List<Finding> findings = findings(new VmHotplugVolumesCheck(),
				"vm-hotplug-volumes/fail-ephemeral-hotplug-volume");
		assertThat(findings.get(0).details()).containsEntry("volumeRequests", 1)
			.containsEntry("requests", List.of("add data-2"));
		assertThat(findings.get(1).details()).containsEntry("volume", "data-1")
			.containsEntry("claimName", "vm1-data-1");
		assertThat(findings.get(1).remediation()).contains("virtctl removevolume vm1 --volume-name=data-1 -n default")
			.contains("--volume-name=vm1-data-1 --persist -n default");
		assertThat(findings.get(2).details()).containsEntry("volume", "data-2")
			.containsEntry("dataVolume", "vm1-data-2");
	}

	private static List<Finding> findings(Check check, String fixture) {
		ClusterSnapshot snapshot = new SnapshotFileReader().read(FIXTURES.resolve(fixture).resolve("cluster"),
				Instant.EPOCH);
		return check.evaluate(snapshot, CheckContext.forSnapshot(snapshot, Instant.EPOCH, CheckOptions.defaults()))
			.findings();
	}

}
