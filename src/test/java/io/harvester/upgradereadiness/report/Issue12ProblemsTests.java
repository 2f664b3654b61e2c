package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * One evaluation of the whole catalogue over a cluster with every problem of issue 12's storage and backup checks
 * names each of them at once. The dump holds no server-version (a v1.4.2 cluster, which UH-17 is for, has no RWX
 * network setting, which UH-19 needs), so the two version-bound rules apply and say why.
 */
class Issue12ProblemsTests {

	private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	@Test
	void oneReportNamesEveryIssue12ProblemAtOnce() {
		ReadinessReport report = new ReportService(
				FileSnapshotSource.load("src/test/resources/snapshots/issue-12-problems", NOW.minusSeconds(30)),
				CheckCatalogue.standard(), new CheckRunner(), Clock.fixed(NOW, ZoneOffset.UTC), CheckOptions.defaults(),
				Duration.ofSeconds(60))
			.report();

		assertThat(report.verdict()).isEqualTo(Verdict.NOT_READY);
		assertThat(report.findings()).extracting(Finding::checkId, Finding::rule, Finding::message)
			.contains(tuple("storage-network-ips", "insufficient-free-ips",
					"Storage network has insufficient free IPs for upgrade. Range: 10.0.16.0/28, Whereabouts IPPool: "
							+ "kube-system/10.0.16.0-28, usable IPs: 14, allocated IPs: 9, available IPs: 5, required "
							+ "free IPs: 6."),
					tuple("rwx-network-ips", "insufficient-free-ips",
							"Dedicated RWX network has insufficient free IPs for upgrade. Range: 10.0.32.0/29, "
									+ "Whereabouts IPPool: kube-system/10.0.32.0-29, usable IPs: 3, allocated IPs: 3, "
									+ "available IPs: 0, required free IPs: 1."),
					tuple("image-volume-size", "volume-smaller-than-image",
							"default/db1-disk-0-r8c4n: 5Gi is smaller than the required minimum of 10Gi (source image "
									+ "default/image-m4q2z)"),
					tuple("volumes-backing-image-ready", "waiting-for-backing-image",
							"Volume longhorn-system/pvc-f31eb0e3-8d44-453f-aace-701177024971 (PVC "
									+ "default/db1-disk-0-r8c4n) is waiting for backing image "
									+ "vmi-ff108fcf-d5ed-415d-8008-955dd67ddcd8: WaitForBackingImage=True (Waiting)"),
					tuple("longhorn-v2-volumes-detached", "v2-volume-attached",
							"Volume longhorn-system/pvc-27e8997c-34fe-4eb5-a6b1-14d3d0a13c9c (PVC "
									+ "default/nvme-db-disk-0-t7k3q) uses the v2 data engine and is attached: Longhorn "
									+ "upgrades v2 volumes only when they are detached (the running version cannot be "
									+ "read (no setting server-version with a value in the snapshot), so the upgrade is "
									+ "taken to change Longhorn's minor version)"),
					tuple("backup-target-refresh-interval", "refresh-interval-not-set",
							"The refreshIntervalInSeconds is either 0 or empty. Please configure it to a bigger integer "
									+ "like 300 before proceeding. (the running version cannot be read (no setting "
									+ "server-version with a value in the snapshot), so this rule (in force on v1.4.1 "
									+ "<= current < v1.4.3) is applied)"));
		assertThat(report.findings()).filteredOn(f -> f.checkId().equals("image-volume-size"))
			.allSatisfy(f -> assertThat(f.blocking()).isFalse());
	}

}
