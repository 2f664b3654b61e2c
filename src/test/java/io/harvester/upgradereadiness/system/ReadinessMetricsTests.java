package io.harvester.upgradereadiness.system;

import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus metrics on the demo snapshot: names, labels and values. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class ReadinessMetricsTests {

	@LocalServerPort
	int port;

	@Autowired
	ReadinessMetrics metrics;

	@Test
	void exposesTheVerdictFindingsCheckStatusAndSnapshotState() {
		this.metrics.refresh();

		Response response = new HttpTestClient(this.port).get("/actuator/prometheus");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body().lines()).contains("upgrade_readiness_ready 0.0",
				"upgrade_readiness_verdict{state=\"NOT_READY\"} 1.0", "upgrade_readiness_verdict{state=\"READY\"} 0.0",
				"upgrade_readiness_verdict{state=\"UNKNOWN\"} 0.0", "upgrade_readiness_blocking_findings 7.0",
				"upgrade_readiness_findings{check=\"machine-node-match\",severity=\"ERROR\"} 2.0",
				"upgrade_readiness_findings{check=\"pods-ready\",severity=\"WARNING\"} 1.0",
				"upgrade_readiness_findings{check=\"nodes-ready\",severity=\"ERROR\"} 0.0",
				"upgrade_readiness_check_status{check=\"machines-running\",status=\"FAIL\"} 1.0",
				"upgrade_readiness_check_status{check=\"machines-running\",status=\"PASS\"} 0.0",
				"upgrade_readiness_check_status{check=\"node-disk-headroom\",status=\"SKIPPED\"} 1.0",
				"upgrade_readiness_check_blocking_findings{check=\"machine-node-match\"} 2.0",
				"upgrade_readiness_check_blocking_findings{check=\"pods-ready\"} 0.0",
				"upgrade_readiness_snapshot_available 1.0", "upgrade_readiness_snapshot_stale 0.0",
				"upgrade_readiness_snapshot_kind_synced{resource=\"nodes\"} 1.0",
				"upgrade_readiness_snapshot_kind_present{resource=\"machines.cluster.x-k8s.io\"} 1.0",
				"upgrade_readiness_snapshot_kind_forbidden{resource=\"pods\"} 0.0");
		assertThat(response.body()).containsPattern("(?m)^upgrade_readiness_snapshot_age_seconds \\d+\\.\\d+");
	}

}
