package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.SkipKind;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.report.ReadinessReport.CheckReport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * One evaluation of the whole catalogue over a cluster with every problem of issue 12's checks names each of them at
 * once: the storage and backup checks, and the platform, node and VM checks (a pause node that is gone, a provisioning
 * cluster that is not ready, an unsynchronised node clock, a host-model VM on the only node of its CPU generation,
 * an unavailable and degraded KubeVirt, and the leftovers of an earlier upgrade).
 * <p>
 * Two combinations cannot be had in one file snapshot, and the test says what it does instead:
 * <ul>
 * <li>The dump holds no server-version: a v1.4.2 cluster, which UH-17 ({@code backup-target-refresh-interval}) is
 * for, has no RWX network setting, which UH-19 ({@code rwx-network-ips}) needs. So the version-bound rules apply
 * and say why; the target is the Version object v1.9.0, under which {@code vm-cpu-model-compatible} also requires
 * the source node's CPU vendor.</li>
 * <li>{@code webhook-certificate-expiry} is live only: it needs a TLS handshake with each admission webhook, which a
 * file snapshot cannot give, so here it is SKIPPED (deliberately, with that reason). Its failure is covered by
 * {@code LiveProbesTests}, with certificates the test makes.</li>
 * </ul>
 */
class Issue12ProblemsTests {

	private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	/** Issue 12's checks a file snapshot can evaluate. */
	private static final Set<String> ISSUE_12_FILE_CHECKS = Set.of("storage-network-ips", "rwx-network-ips",
			"image-volume-size", "pause-nodes-exist", "provisioning-cluster-ready", "node-time-synced",
			"volumes-backing-image-ready", "vm-cpu-model-compatible", "longhorn-v2-volumes-detached", "kubevirt-ready",
			"backup-target-refresh-interval", "upgrade-leftovers");

	@Test
	void oneReportNamesEveryIssue12ProblemAtOnce() {
		ReadinessReport report = new ReportService(
				FileSnapshotSource.load("src/test/resources/snapshots/issue-12-problems", NOW.minusSeconds(30)),
				CheckCatalogue.standard(), new CheckRunner(), Clock.fixed(NOW, ZoneOffset.UTC), CheckOptions.defaults(),
				Duration.ofSeconds(60))
			.report();

		assertThat(report.verdict()).isEqualTo(Verdict.NOT_READY);
		assertThat(report.checks()).filteredOn(c -> ISSUE_12_FILE_CHECKS.contains(c.id()))
			.extracting(CheckReport::id, CheckReport::status)
			.containsExactlyInAnyOrderElementsOf(
					ISSUE_12_FILE_CHECKS.stream().map(id -> tuple(id, CheckStatus.FAIL)).toList());
		assertThat(report.checks()).filteredOn(c -> c.id().equals("webhook-certificate-expiry"))
			.extracting(CheckReport::status, CheckReport::skipKind, CheckReport::reason)
			.containsExactly(tuple(CheckStatus.SKIPPED, SkipKind.DELIBERATE,
					"needs a TLS handshake with each admission webhook, which a file snapshot cannot give"));
		assertThat(report.findings()).filteredOn(f -> ISSUE_12_FILE_CHECKS.contains(f.checkId()))
			.extracting(Finding::checkId, Finding::rule, Finding::message, Issue12ProblemsTests::resources)
			.containsExactlyInAnyOrder(
					tuple("storage-network-ips", "insufficient-free-ips",
							"Storage network has insufficient free IPs for upgrade. Range: 10.0.16.0/28, Whereabouts "
									+ "IPPool: kube-system/10.0.16.0-28, usable IPs: 14, allocated IPs: 9, available "
									+ "IPs: 5, required free IPs: 6.",
							List.of("Setting storage-network", "IPPool kube-system/10.0.16.0-28")),
					tuple("rwx-network-ips", "insufficient-free-ips",
							"Dedicated RWX network has insufficient free IPs for upgrade. Range: 10.0.32.0/29, "
									+ "Whereabouts IPPool: kube-system/10.0.32.0-29, usable IPs: 3, allocated IPs: 3, "
									+ "available IPs: 0, required free IPs: 1.",
							List.of("Setting rwx-network", "IPPool kube-system/10.0.32.0-29")),
					tuple("image-volume-size", "volume-smaller-than-image",
							"default/db1-disk-0-r8c4n: 5Gi is smaller than the required minimum of 10Gi (source image "
									+ "default/image-m4q2z)",
							List.of("PersistentVolumeClaim default/db1-disk-0-r8c4n",
									"VirtualMachineImage default/image-m4q2z")),
					tuple("pause-nodes-exist", "pause-node-not-found",
							"node harv4 does not exist: the upgrade-config setting names it in "
									+ "nodeUpgradeOption.strategy.pauseNodes",
							List.of("Setting upgrade-config")),
					tuple("provisioning-cluster-ready", "cluster-not-ready",
							"cluster is not ready: clusters.provisioning.cattle.io fleet-local/local status.ready is "
									+ "false (Ready=False (Waiting: configuring bootstrap node(s) custom-8b3d1bdf2103: "
									+ "waiting for plan to be applied); Updated=Unknown (Waiting: configuring "
									+ "bootstrap node(s) custom-8b3d1bdf2103: waiting for plan to be applied); "
									+ "Reconciling=True (Waiting: configuring bootstrap node(s) custom-8b3d1bdf2103: "
									+ "waiting for plan to be applied))",
							List.of("Cluster fleet-local/local")),
					tuple("node-time-synced", "time-not-synced",
							"node harv2 reports ntpSyncStatus unsynced: its clock is not synchronised",
							List.of("Node harv2")),
					tuple("volumes-backing-image-ready", "waiting-for-backing-image",
							"Volume longhorn-system/pvc-f31eb0e3-8d44-453f-aace-701177024971 (PVC "
									+ "default/db1-disk-0-r8c4n) is waiting for backing image "
									+ "vmi-ff108fcf-d5ed-415d-8008-955dd67ddcd8: WaitForBackingImage=True (Waiting)",
							List.of("Volume longhorn-system/pvc-f31eb0e3-8d44-453f-aace-701177024971",
									"PersistentVolumeClaim default/db1-disk-0-r8c4n")),
					tuple("vm-cpu-model-compatible", "no-node-with-cpu-model",
							"VM default/nvme-db: Migration cannot proceed since no node is suitable to run the "
									+ "required CPU model / required features: cpu-feature.node.kubevirt.io/md-clear="
									+ "true, cpu-feature.node.kubevirt.io/stibp=true, cpu-model-migration.node."
									+ "kubevirt.io/Icelake-Server-noTSX=true, cpu-vendor.node.kubevirt.io/Intel=true",
							List.of("VirtualMachineInstance default/nvme-db")),
					tuple("longhorn-v2-volumes-detached", "v2-volume-attached",
							"Volume longhorn-system/pvc-27e8997c-34fe-4eb5-a6b1-14d3d0a13c9c (PVC "
									+ "default/nvme-db-disk-0-t7k3q) uses the v2 data engine and is attached: Longhorn "
									+ "upgrades v2 volumes only when they are detached (the running version cannot be "
									+ "read (no setting server-version with a value in the snapshot), so the upgrade is "
									+ "taken to change Longhorn's minor version)",
							List.of("Volume longhorn-system/pvc-27e8997c-34fe-4eb5-a6b1-14d3d0a13c9c",
									"PersistentVolumeClaim default/nvme-db-disk-0-t7k3q")),
					tuple("kubevirt-ready", "kubevirt-not-available",
							"kubevirt harvester-system/kubevirt is not available: Available=False (DeploymentFailed: An "
									+ "error occurred during deployment: unable to find matching install strategy for "
									+ "virt-handler pods)",
							List.of("KubeVirt harvester-system/kubevirt")),
					tuple("kubevirt-ready", "kubevirt-degraded",
							"kubevirt harvester-system/kubevirt is degraded: Degraded=True (DeploymentFailed: An error "
									+ "occurred during deployment: unable to find matching install strategy for "
									+ "virt-handler pods)",
							List.of("KubeVirt harvester-system/kubevirt")),
					tuple("backup-target-refresh-interval", "refresh-interval-not-set",
							"The refreshIntervalInSeconds is either 0 or empty. Please configure it to a bigger integer "
									+ "like 300 before proceeding. (the running version cannot be read (no setting "
									+ "server-version with a value in the snapshot), so this rule (in force on v1.4.1 "
									+ "<= current < v1.4.3) is applied)",
							List.of("Setting backup-target")),
					tuple("upgrade-leftovers", "plan-still-applying",
							"plan cattle-system/hvst-upgrade-9gmg2-prepare is still applying on harv2 with no upgrade "
									+ "in progress",
							List.of("Plan cattle-system/hvst-upgrade-9gmg2-prepare")),
					tuple("upgrade-leftovers", "upgrade-log-chart-left",
							"managed chart fleet-local/hvst-upgrade-rqqrp-upgradelog-operator of upgrade log "
									+ "hvst-upgrade-rqqrp-upgradelog is left from an earlier upgrade",
							List.of("ManagedChart fleet-local/hvst-upgrade-rqqrp-upgradelog-operator")),
					tuple("upgrade-leftovers", "upgrade-log-orphaned",
							"upgrade log harvester-system/hvst-upgrade-rqqrp-upgradelog outlives its upgrade "
									+ "hvst-upgrade-rqqrp",
							List.of("UpgradeLog harvester-system/hvst-upgrade-rqqrp-upgradelog")));
		// The warnings name their problem without holding the upgrade back; the unsynced clock blocks.
		assertThat(report.findings()).filteredOn(f -> ISSUE_12_FILE_CHECKS.contains(f.checkId()))
			.filteredOn(f -> !f.blocking())
			.extracting(Finding::checkId)
			.containsExactlyInAnyOrder("image-volume-size", "upgrade-leftovers", "upgrade-leftovers",
					"upgrade-leftovers");
	}

	private static List<String> resources(Finding finding) {
		return finding.resources().stream().map(ResourceRef::toString).toList();
	}

}
