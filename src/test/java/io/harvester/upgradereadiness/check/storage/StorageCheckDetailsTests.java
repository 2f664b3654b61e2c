package io.harvester.upgradereadiness.check.storage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the fixture harness does not compare: the {@code details} that say which rule was exempt and who set a
 * switch, and the severity of warnings. Reuses the fixture clusters.
 */
class StorageCheckDetailsTests {

	private static final Path FIXTURES = Path.of("src/test/resources/checks");

	private static final CheckContext DEFAULTS = CheckContext.of(Instant.parse("2026-11-26T12:00:00Z"), false);

	@Test
	void findingsOnSmallClustersSayTheDegradedRuleWasNotApplied() {
		CheckOutcome outcome = new LonghornVolumesHealthyCheck().evaluate(
				cluster("longhorn-volumes-healthy/fail-faulted-and-detached-on-two-nodes-degraded-exempt"), DEFAULTS);

		assertThat(outcome.findings()).hasSize(2).allSatisfy(finding -> assertThat(finding.details())
			.containsEntry("degradedRule", "not applied: the cluster has 2 nodes (witness included), Harvester checks "
					+ "degraded volumes only from 3 nodes on"));
		assertThat(outcome.findings().get(1).details()).containsEntry("replicas", 1)
			.containsEntry("numberOfReplicas", 2L)
			.containsEntry("pvc", "default/vm2-data-q8w3e");
	}

	@Test
	void findingsOnThreeNodesCarryNoExemption() {
		CheckOutcome outcome = new LonghornVolumesHealthyCheck()
			.evaluate(cluster("longhorn-volumes-healthy/fail-every-rule-three-nodes"), DEFAULTS);

		assertThat(outcome.findings()).isNotEmpty()
			.allSatisfy(finding -> assertThat(finding.details()).doesNotContainKey("degradedRule"));
		assertThat(outcome.findings().get(0).details()).containsEntry("nodes", 3)
			.containsEntry("robustness", "degraded");
	}

	@Test
	void activeOnlyFindingsNameWhoSetTheSwitch() {
		CheckOptions options = CheckOptions.defaults()
			.withSkipSingleReplicaDetachedVol(new Switch<>(true, "request parameter skipSingleReplicaDetachedVol"));
		CheckContext context = new CheckContext(DEFAULTS.now(), false, options);

		List<Finding> findings = new SingleReplicaVolumesCheck()
			.evaluate(cluster("single-replica-volumes/fail-only-active-with-skip-detached-switch"), context)
			.findings();

		assertThat(findings).hasSize(2).allSatisfy(finding -> assertThat(finding.details())
			.containsEntry("skipSingleReplicaDetachedVol", true)
			.containsEntry("setBy", "request parameter skipSingleReplicaDetachedVol"));
		assertThat(findings.get(1).details()).containsEntry("state", "attaching");
	}

	@Test
	void theSwitchLeftOffDoesNotShowInDetails() {
		List<Finding> findings = new SingleReplicaVolumesCheck()
			.evaluate(cluster("single-replica-volumes/fail-attached-and-detached-by-default"), DEFAULTS)
			.findings();

		assertThat(findings).isNotEmpty().allSatisfy(finding -> assertThat(finding.details()).doesNotContainKey("setBy"));
	}

	@Test
	void staleVolumesAreNonBlockingWarningsListingTheirWorkloads() {
		List<Finding> findings = new StaleAttachedVolumesCheck()
			.evaluate(cluster("stale-attached-volumes/fail-none-of-the-workloads-running"), DEFAULTS)
			.findings();

		assertThat(findings).singleElement().satisfies(finding -> {
			assertThat(finding.severity()).isEqualTo(Severity.WARNING);
			assertThat(finding.blocking()).isFalse();
			assertThat(finding.details()).containsEntry("workloads",
					List.of("virt-launcher-vm3-w9p4s (VirtualMachineInstance vm3): Succeeded",
							"virt-launcher-vm3-h6t1r (VirtualMachineInstance vm3): Failed"));
		});
	}

	@Test
	void backingImagesWithFewCopiesWarnWithoutBlocking() {
		List<Finding> findings = new BackingImageCopiesCheck()
			.evaluate(cluster("backing-image-copies/fail-no-minimum-copies-and-too-few"), DEFAULTS)
			.findings();

		assertThat(findings).extracting(Finding::severity, Finding::blocking)
			.containsExactly(tuple(Severity.ERROR, true),
					tuple(Severity.WARNING, false),
					tuple(Severity.WARNING, false));
		assertThat(findings.get(0).details()).containsEntry("minNumberOfCopies", 0L);
	}

	@Test
	void diskFindingsNameTheDiskAndItsPath() {
		List<Finding> findings = new LonghornEvictionRequestedCheck()
			.evaluate(cluster("longhorn-eviction-requested/fail-node-and-disk-eviction-requested"), DEFAULTS)
			.findings();

		assertThat(findings.get(4).details()).containsEntry("node", "harv4")
			.containsEntry("disk", "nvme.0000.c1-data")
			.containsEntry("path", "/var/lib/harvester/extra-disks/nvme.0000.c1-data");
	}

	private static ClusterSnapshot cluster(String fixtureCase) {
		return new SnapshotFileReader().read(FIXTURES.resolve(fixtureCase).resolve("cluster"), Instant.EPOCH);
	}

}
