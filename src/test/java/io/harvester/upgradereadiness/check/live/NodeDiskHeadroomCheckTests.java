package io.harvester.upgradereadiness.check.live;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.SkipKind;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.NodeDiskUsage;
import io.harvester.upgradereadiness.cluster.ProbeResult;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.support.Snapshots;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeDiskHeadroomCheckTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private static final long GIB = 1024L * 1024 * 1024;

	private final NodeDiskHeadroomCheck check = new NodeDiskHeadroomCheck();

	private final CheckOptions enabled = CheckOptions.defaults().withOptIn(Set.of("node-disk-headroom"));

	@Test
	void reportsANodeThatWouldPassTheImageGcThresholdWithHarvestersWording() {
		// (60 + 13) / 80 = 91.25 % > 85 %
		ClusterSnapshot snapshot = snapshot(new NodeDiskUsage.Node("harv1", 60 * GIB, 80 * GIB, null, null),
				new NodeDiskUsage.Node("harv2", 40 * GIB, 80 * GIB, null, null));

		CheckOutcome outcome = this.check.evaluate(snapshot, new CheckContext(NOW, true, this.enabled));

		assertThat(outcome.findings()).singleElement().satisfies(finding -> {
			assertThat(finding.message()).isEqualTo("Node \"harv1\" will reach 91.25% storage space after loading new "
					+ "images. It's higher than kubelet image garbage collection threshold 85%.");
			assertThat(finding.resources()).extracting(Object::toString).containsExactly("Node harv1");
			assertThat(finding.blocking()).isTrue();
			assertThat(finding.details()).containsEntry("thresholdPercent", 85.0);
		});
	}

	@Test
	void usesTheKubeletsOwnThreshold() {
		// (40 + 13) / 80 = 66.25 %: fine at 85 %, too much at 60 %.
		ClusterSnapshot snapshot = snapshot(new NodeDiskUsage.Node("harv1", 40 * GIB, 80 * GIB, 60.0, null));

		List<Finding> findings = this.check.evaluate(snapshot, new CheckContext(NOW, true, this.enabled)).findings();

		assertThat(findings).extracting(Finding::message).containsExactly("Node \"harv1\" will reach 66.25% storage "
				+ "space after loading new images. It's higher than kubelet image garbage collection threshold 60%.");
	}

	@Test
	void isSkippedUnlessOptedIn() {
		CheckOutcome outcome = this.check.evaluate(snapshot(), new CheckContext(NOW, true, CheckOptions.defaults()));

		assertThat(outcome.skipKind()).isEqualTo(SkipKind.DELIBERATE);
		assertThat(outcome.skipReason()).isEqualTo("opt-in check not enabled: set "
				+ "upgrade-readiness.checks.node-disk-headroom.enabled=true and grant get on nodes/proxy");
	}

	@Test
	void isSkippedWhenSwitchedOffNamingWhoSwitchedIt() {
		CheckOptions options = this.enabled.withSkipGarbageCollectionThresholdCheck(
				new Switch<>(true, "request parameter skipGarbageCollectionThresholdCheck"));

		CheckOutcome outcome = this.check.evaluate(snapshot(), new CheckContext(NOW, true, options));

		assertThat(outcome.skipKind()).isEqualTo(SkipKind.DELIBERATE);
		assertThat(outcome.skipReason())
			.isEqualTo("switched off by request parameter skipGarbageCollectionThresholdCheck");
	}

	@Test
	void isSkippedInFileMode() {
		CheckOutcome outcome = this.check.evaluate(snapshot(), new CheckContext(NOW, false, this.enabled));

		assertThat(outcome.skipKind()).isEqualTo(SkipKind.DELIBERATE);
	}

	@Test
	void isUnknownWhenANodeCannotBeReadAndNothingElseBlocks() {
		ClusterSnapshot snapshot = snapshot(new NodeDiskUsage.Node("harv1", null, null, null, "503 from the proxy"));

		CheckOutcome outcome = this.check.evaluate(snapshot, new CheckContext(NOW, true, this.enabled));

		assertThat(outcome.skipKind()).isEqualTo(SkipKind.MISSING_DATA);
		assertThat(outcome.skipReason()).isEqualTo("cannot read the kubelet statistics of harv1 (503 from the proxy)");
	}

	@Test
	void isUnknownBeforeTheFirstProbe() {
		ClusterSnapshot snapshot = Snapshots.live(NOW, Map.of(WatchedKind.NODES, List.of(Snapshots.node("harv1"))))
			.build();

		CheckOutcome outcome = this.check.evaluate(snapshot, new CheckContext(NOW, true, this.enabled));

		assertThat(outcome.skipKind()).isEqualTo(SkipKind.MISSING_DATA);
		assertThat(outcome.skipReason()).isEqualTo("the kubelets' statistics have not been read yet");
	}

	private static ClusterSnapshot snapshot(NodeDiskUsage.Node... usage) {
		List<io.harvester.upgradereadiness.cluster.KubeObject> nodes = java.util.Arrays.stream(usage)
			.map(u -> Snapshots.node(u.name()))
			.toList();
		return Snapshots.live(NOW, Map.of(WatchedKind.NODES, nodes))
			.nodeDiskUsage(ProbeResult.of(new NodeDiskUsage(NOW, List.of(usage)), NOW))
			.build();
	}

}
