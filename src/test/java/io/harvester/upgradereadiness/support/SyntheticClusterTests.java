package io.harvester.upgradereadiness.support;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckResult;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmarks' synthetic cluster is read by the checks as a real one: healthy, with the problems it plants. */
class SyntheticClusterTests {

	private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	@Test
	void everyNodeBringsItsMachineVolumesReplicasVmsAndPods() {
		Map<WatchedKind, Integer> counts = SyntheticCluster.ofNodes(10).counts();

		assertThat(counts.get(WatchedKind.NODES)).isEqualTo(10);
		assertThat(counts.get(WatchedKind.MACHINES)).isEqualTo(10);
		assertThat(counts.get(WatchedKind.LONGHORN_NODES)).isEqualTo(10);
		assertThat(counts.get(WatchedKind.LONGHORN_VOLUMES)).isEqualTo(100);
		assertThat(counts.get(WatchedKind.LONGHORN_REPLICAS)).isEqualTo(300);
		assertThat(counts.get(WatchedKind.VIRTUAL_MACHINES)).isEqualTo(50);
		assertThat(counts.get(WatchedKind.VIRTUAL_MACHINE_INSTANCES)).isEqualTo(50);
		assertThat(counts.get(WatchedKind.PODS)).isEqualTo(80);
	}

	@Test
	void theChecksFindOnlyThePlantedProblems() {
		Map<String, CheckResult> results = evaluate(SyntheticCluster.ofNodes(250).snapshot(NOW));

		Map<String, Integer> failed = new LinkedHashMap<>();
		results.forEach((id, result) -> {
			if (result.status() != CheckStatus.PASS) {
				failed.put(id + " " + result.status(), result.findings().size());
			}
		});
		// the demo's v1.5.0 has no rwx-network setting, upgrades to a patch and is not a v1.4.1 or v1.4.2
		assertThat(failed).containsExactly(Map.entry("backing-image-copies FAIL", 1),
				Map.entry("rwx-network-ips SKIPPED", 0), Map.entry("longhorn-v2-volumes-detached SKIPPED", 0),
				Map.entry("backup-schedules-suspended FAIL", 1), Map.entry("backup-target-refresh-interval SKIPPED", 0),
				Map.entry("pods-ready FAIL", 2),
				Map.entry("node-disk-headroom SKIPPED", 0), Map.entry("apiserver-certificate-expiry SKIPPED", 0));
		assertThat(results.get("pods-ready").findings()).extracting(Finding::message)
			.allSatisfy(message -> assertThat(message).contains("is not ready: Ready=False (ContainersNotReady"));
	}

	@Test
	void itsJsonFilesReadAsTheSameSnapshot(@TempDir Path directory) {
		SyntheticCluster cluster = SyntheticCluster.ofNodes(20).withManagedFields();
		long written = cluster.writeJsonFiles(directory);

		ClusterSnapshot fromFiles = new SnapshotFileReader().read(directory, NOW);

		assertThat(fromFiles.fileStats().objectsRead()).isEqualTo(written);
		assertThat(summary(evaluate(fromFiles))).isEqualTo(summary(evaluate(cluster.snapshot(NOW))));
	}

	private static Map<String, CheckResult> evaluate(ClusterSnapshot snapshot) {
		List<CheckResult> results = new CheckRunner().run(snapshot, CheckCatalogue.standard().all(),
				CheckContext.forSnapshot(snapshot, NOW, CheckOptions.defaults()));
		Map<String, CheckResult> byId = new LinkedHashMap<>();
		results.forEach(result -> byId.put(result.definition().id(), result));
		return byId;
	}

	private static Map<String, List<String>> summary(Map<String, CheckResult> results) {
		Map<String, List<String>> summary = new LinkedHashMap<>();
		results.forEach((id, result) -> summary.put(id + " " + result.status(),
				result.findings().stream().map(Finding::message).toList()));
		return summary;
	}

}
