package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.SkipKind;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The whole catalogue over a whole cluster: a healthy Harvester v1.5.0 cluster that may be upgraded to v1.5.1, and
 * the demo, which is the same cluster with one problem of each kind.
 */
class HealthyClusterTests {

	private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	/** Checks that cannot run over files: they need the kubelet and a TLS handshake with the API server. */
	private static final List<String> LIVE_ONLY = List.of("node-disk-headroom", "apiserver-certificate-expiry",
			"webhook-certificate-expiry");

	/**
	 * Checks that do not apply to this cluster, and say why: v1.5.0 has no rwx-network setting, v1.5.0 to v1.5.1 is a
	 * patch upgrade (Longhorn keeps its minor version), and UH-17 is for v1.4.1 and v1.4.2 only.
	 */
	private static final Map<String, String> NOT_APPLICABLE = Map.of("rwx-network-ips",
			"setting rwx-network is not set (Harvester before v1.8.0 has none): no dedicated RWX network",
			"longhorn-v2-volumes-detached",
			"a patch upgrade (v1.5.0 to v1.5.1) keeps Longhorn's minor version: v2 volumes may stay attached",
			"backup-target-refresh-interval", "the running version v1.5.0 is not v1.4.1 or v1.4.2, the only "
					+ "versions this rule is for (v1.4.1 <= current < v1.4.3)");

	@Test
	void aHealthyClusterIsReadyWithEveryCheckPassing() {
		ReadinessReport report = report(
				FileSnapshotSource.load("src/test/resources/snapshots/healthy-cluster", NOW.minusSeconds(30)));

		assertThat(report.verdict()).isEqualTo(Verdict.READY);
		assertThat(report.ready()).isTrue();
		assertThat(report.findings()).isEmpty();
		assertThat(report.reasons()).isEmpty();
		assertThat(report.checks()).extracting(ReadinessReport.CheckReport::id)
			.containsExactlyElementsOf(CheckCatalogue.standard().ids());
		for (ReadinessReport.CheckReport check : report.checks()) {
			if (LIVE_ONLY.contains(check.id())) {
				assertThat(check.status()).as(check.id()).isEqualTo(CheckStatus.SKIPPED);
				assertThat(check.skipKind()).as(check.id()).isEqualTo(SkipKind.DELIBERATE);
			}
			else if (NOT_APPLICABLE.containsKey(check.id())) {
				assertThat(check.status()).as(check.id()).isEqualTo(CheckStatus.SKIPPED);
				assertThat(check.skipKind()).as(check.id()).isEqualTo(SkipKind.DELIBERATE);
				assertThat(check.reason()).as(check.id()).isEqualTo(NOT_APPLICABLE.get(check.id()));
			}
			else {
				assertThat(check.status()).as(check.id() + ": " + check.reason()).isEqualTo(CheckStatus.PASS);
			}
		}
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(39, 33, 0, 6, 0, 0, 0, 0));
		assertThat(report.versions()).isEqualTo(new ReadinessReport.Versions("v1.5.0", "v1.5.1",
				"newest versions.harvesterhci.io object"));
	}

	@Test
	void theDemoIsTheSameClusterWithOneProblemOfEachKind() {
		ReadinessReport report = report(FileSnapshotSource.load("classpath:demo-snapshot", NOW.minusSeconds(30)));

		assertThat(report.verdict()).isEqualTo(Verdict.NOT_READY);
		assertThat(report.ready()).isFalse();
		assertThat(report.findings()).extracting(Finding::checkId, Finding::rule, Finding::message).containsExactly(
				tuple("machines-running", "machine-not-running",
						"machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning"),
				tuple("machine-node-match", "machine-without-node-ref",
						"machine fleet-local/custom-4d279419a084 has empty NodeRef, check the cluster provision"),
				tuple("machine-node-match", "provider-id-without-node",
						"machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, but no node carries it"),
				tuple("node-time-synced", "time-not-synced",
						"node harv43 reports ntpSyncStatus unsynced: its clock is not synchronised"),
				tuple("single-replica-volumes", "single-replica-volume",
						"Following PVCs with single-replica volume, even the volume is detached, upgrade may have "
								+ "potential data integrity concerns: default/build-cache-disk-1-wrv25"),
				tuple("stale-attached-volumes", "attached-workloads-not-running",
						"Volume pvc-9b78236a-974e-4483-a1c1-04f5633d6763 is attached, but none of its workloads "
								+ "are running."),
				tuple("backing-image-copies", "few-minimum-copies",
						"Backing image longhorn-system/vmi-ff108fcf-d5ed-415d-8008-955dd67ddcd8 has less than the "
								+ "recommended minimum number of copies (1 < 3)"),
				tuple("volumes-backing-image-ready", "waiting-for-backing-image",
						"Volume longhorn-system/pvc-103e4a75-2a1a-4a3d-8517-9b8b65ce1665 (PVC "
								+ "default/build-cache-disk-0-qb6qw) is waiting for backing image "
								+ "vmi-91e743cb-155b-45b7-bdce-285afe5bac46: WaitForBackingImage=True (Waiting)"),
				tuple("backup-schedules-suspended", "schedule-not-suspended",
						"please suspend all backup/snapshot schedule, for example default/vm-db-nightly is running"),
				tuple("vms-live-migratable", "non-live-migratable-vm",
						"There are non-live migratable VMs that need to be shut off before initiating the upgrade: "
								+ "demo/win2022-installer (CD-ROM disk attached: cdrom-disk)"),
				tuple("pods-ready", "pod-not-ready",
						"pod cattle-monitoring-system/rancher-monitoring-grafana-d6f466988-kks8h is not ready: "
								+ "Ready=False (ContainersNotReady: containers with unready status: [grafana])"));
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(39, 23, 10, 6, 0, 11, 8, 0));
		assertThat(report.versions()).isEqualTo(new ReadinessReport.Versions("v1.5.0", "v1.5.1",
				"newest versions.harvesterhci.io object"));
	}

	private static ReadinessReport report(SnapshotSource source) {
		return new ReportService(source, CheckCatalogue.standard(), new CheckRunner(), Clock.fixed(NOW, ZoneOffset.UTC),
				CheckOptions.defaults(), Duration.ofSeconds(60))
			.report();
	}

}
