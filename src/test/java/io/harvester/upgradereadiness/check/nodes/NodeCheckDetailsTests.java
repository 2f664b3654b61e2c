package io.harvester.upgradereadiness.check.nodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What the fixture cases do not pin down: details, remediations and the quirks of the node conditions and taints.
 */
class NodeCheckDetailsTests {

	private static final Path CHECKS = Path.of("src/test/resources/checks");

	private static final CheckContext CONTEXT = CheckContext.of(Instant.parse("2026-11-26T12:00:00Z"), false);

	@Test
	void notReadyNodeCarriesTheConditionAndANodeWithoutOneCarriesNoStatus() {
		List<Finding> findings = findings(new NodesReadyCheck(), "nodes-ready/fail-not-ready");
		assertThat(findings).hasSize(3);
		assertThat(findings.get(0).details()).containsEntry("status", "False")
			.containsEntry("reason", "KubeletNotReady");
		assertThat(findings.get(2).details()).containsExactly(entry("status", null));
		assertThat(findings.get(0).remediation()).contains("kubectl describe node harv1");
	}

	@Test
	void anUnsyncedClockBlocksAndAnUnconfirmedOneIsAWarningThatDoesNot() {
		List<Finding> findings = findings(new NodeTimeSyncedCheck(), "node-time-synced/fail-unsynced-and-unconfirmed");
		assertThat(findings).extracting(Finding::rule, Finding::severity, Finding::blocking)
			.containsExactly(tuple("time-not-synced", Severity.ERROR, true),
					tuple("time-sync-unconfirmed", Severity.WARNING, false),
					tuple("time-sync-unconfirmed", Severity.WARNING, false),
					tuple("time-sync-unconfirmed", Severity.WARNING, false));
		assertThat(findings.get(0).details()).containsEntry("ntpSyncStatus", "unsynced")
			.containsEntry("currentNtpServers", "0.suse.pool.ntp.org 1.suse.pool.ntp.org");
		assertThat(findings.get(0).remediation()).contains("ntp-servers").contains("timedatectl");
		assertThat(findings.get(1).details()).containsEntry("ntpSyncStatus", "disabled");
		assertThat(findings.get(2).details()).containsExactly(entry("ntpSyncStatus", null));
	}

	@Test
	void readyConditionWithoutStatusSaysSo(@TempDir Path dir) throws IOException {
		Files.writeString(dir.resolve("nodes.yaml"), """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv1
				status:
				  conditions:
				  - type: Ready
				    reason: KubeletNotReady
				""");
		List<Finding> findings = new NodesReadyCheck()
			.evaluate(new SnapshotFileReader().read(dir, Instant.EPOCH), CONTEXT)
			.findings();
		assertThat(findings).singleElement()
			.extracting(Finding::message)
			.isEqualTo("node harv1 is not ready, please wait for it to be ready: Ready condition has no status");
	}

	@Test
	void maintenanceModeIsToldApartFromACordon() {
		List<Finding> findings = findings(new NodesSchedulableCheck(),
				"nodes-schedulable/fail-cordoned-and-maintenance");
		assertThat(findings).hasSize(2);
		Finding maintenance = findings.get(0);
		assertThat(maintenance.details()).containsEntry("maintenanceMode", true)
			.containsEntry("maintainStatus", "completed");
		assertThat(maintenance.remediation()).contains("Disable Maintenance Mode")
			.contains("harvesterhci.io/maintain-status=completed");
		Finding cordon = findings.get(1);
		assertThat(cordon.details()).containsExactly(entry("maintenanceMode", false));
		assertThat(cordon.remediation()).contains("kubectl uncordon harv3");
	}

	@Test
	void pressureFindingsAreWarningsWithDistinctIds() {
		List<Finding> findings = findings(new NodePressureCheck(), "node-pressure/fail-under-pressure");
		assertThat(findings).extracting(Finding::blocking).containsOnly(false);
		assertThat(findings).extracting(Finding::id).doesNotHaveDuplicates();
		assertThat(findings.get(1).details()).containsEntry("condition", "DiskPressure")
			.containsEntry("reason", "KubeletHasDiskPressure");
	}

	@Test
	void witnessFindingsNameTheWitnessNodesAndTheirTaints() {
		List<Finding> two = findings(new WitnessNodeCheck(), "witness-node/fail-two-witnesses");
		assertThat(two.get(0).details()).containsEntry("witnessNodes", 2).containsEntry("nodes", "harv3, harv4");
		assertThat(two.get(1).details()).containsEntry("taints", "none");
		assertThat(two.get(1).remediation())
			.contains("kubectl taint node harv4 node-role.kubernetes.io/etcd=true:NoExecute");
		List<Finding> wrongEffect = findings(new WitnessNodeCheck(), "witness-node/fail-witness-not-tainted");
		assertThat(wrongEffect).singleElement()
			.satisfies(f -> assertThat(f.details()).containsEntry("taints",
					"node-role.kubernetes.io/etcd=true:NoSchedule"));
	}

	private static List<Finding> findings(Check check, String fixture) {
		ClusterSnapshot snapshot = new SnapshotFileReader().read(CHECKS.resolve(fixture).resolve("cluster"),
				Instant.EPOCH);
		return check.evaluate(snapshot, CONTEXT).findings();
	}

}
