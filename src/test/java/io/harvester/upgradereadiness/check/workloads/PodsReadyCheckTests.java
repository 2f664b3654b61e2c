package io.harvester.upgradereadiness.check.workloads;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The details of a not-ready pod: its phase, its Ready condition and what its containers are doing. */
class PodsReadyCheckTests {

	private static final Path FIXTURE = Path.of("src/test/resources/checks/pods-ready/fail-not-ready/cluster");

	private final List<Finding> findings = new PodsReadyCheck()
		.evaluate(snapshot(), CheckContext.of(Instant.parse("2026-11-26T12:00:00Z"), false))
		.findings();

	@Test
	void findingsAreNonBlockingWarnings() {
		assertThat(this.findings).hasSize(3)
			.allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING))
			.allSatisfy(f -> assertThat(f.blocking()).isFalse());
	}

	@Test
	void crashingContainerIsDescribedWithItsRestarts() {
		assertThat(this.findings.get(0).details()).containsEntry("phase", "Running")
			.containsEntry("reason", "ContainersNotReady")
			.containsEntry("conditionMessage", "containers with unready status: [grafana]")
			.containsEntry("node", "harv1")
			.containsEntry("containers", "grafana: waiting (CrashLoopBackOff), 14 restarts");
	}

	@Test
	void failedPodIsToldApartAndMayBeDeleted() {
		Finding failed = this.findings.get(1);
		assertThat(failed.details()).containsEntry("phase", "Failed")
			.containsEntry("reason", "PodFailed")
			.containsEntry("containers", "harvester-webhook: terminated (ContainerStatusUnknown), exit code 137");
		assertThat(failed.remediation())
			.contains("kubectl delete pod -n harvester-system harvester-webhook-5f7c9d8b6-qm4nd");
	}

	@Test
	void unfinishedInitContainersAreListedFirst() {
		assertThat(this.findings.get(2).details()).containsEntry("phase", "Pending")
			.containsEntry("containers", "init wait-longhorn-admission-webhook: running, not ready; "
					+ "longhorn-manager: waiting (PodInitializing)");
		assertThat(this.findings.get(2).remediation()).contains("--previous");
	}

	private static ClusterSnapshot snapshot() {
		return new SnapshotFileReader().read(FIXTURE, Instant.EPOCH);
	}

}
