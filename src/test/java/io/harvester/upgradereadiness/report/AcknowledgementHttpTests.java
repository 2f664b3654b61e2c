package io.harvester.upgradereadiness.report;

import java.util.List;
import java.util.stream.StreamSupport;

import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledgement rules over the demo snapshot, imported from a YAML file as the chart's ConfigMap provides them
 * ({@code spring.config.import}), through HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.config.import=file:src/test/resources/acknowledgements/acknowledgements.yaml")
@ActiveProfiles("demo")
class AcknowledgementHttpTests {

	@LocalServerPort
	int port;

	HttpTestClient http;

	@BeforeEach
	void client() {
		this.http = new HttpTestClient(this.port);
	}

	@Test
	void aMatchedBlockingFindingStaysAcknowledgedAndNoLongerBlocksTheVerdict() {
		JsonNode report = this.http.get("/api/v1/upgrade-readiness?checks=single-replica-volumes").json();

		assertThat(report.get("verdict").asString()).isEqualTo("READY");
		assertThat(report.get("reasons")).isEmpty();
		JsonNode finding = report.get("findings").get(0);
		assertThat(finding.get("blocking").asBoolean()).as("still what the check says").isTrue();
		assertThat(finding.get("acknowledged").get("reason").asString()).isEqualTo("build cache, rebuilt on demand (OPS-1234)");
		assertThat(finding.get("acknowledged").get("expires").asString()).isEqualTo("2999-12-31");
		assertThat(finding.get("acknowledged").get("rule").asString()).isEqualTo("upgrade-readiness.acknowledgements[0]");
		assertThat(report.get("summary").get("findings").asInt()).isEqualTo(1);
		assertThat(report.get("summary").get("blockingFindings").asInt()).isZero();
		assertThat(report.get("summary").get("acknowledged").asInt()).isEqualTo(1);
		assertThat(report.has("expiredAcknowledgements")).isFalse();
	}

	@Test
	void theWholeReportKeepsEveryFindingAndCountsOnlyTheUnacknowledged() {
		JsonNode report = this.http.get("/api/v1/upgrade-readiness").json();

		assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
		assertThat(report.get("summary").get("findings").asInt()).as("nothing disappears").isEqualTo(10);
		assertThat(report.get("summary").get("blockingFindings").asInt()).isEqualTo(6);
		assertThat(report.get("summary").get("acknowledged").asInt()).isEqualTo(2);
		assertThat(acknowledgedChecks(report)).containsExactly("single-replica-volumes", "pods-ready");
		JsonNode grafana = finding(report, "pods-ready");
		assertThat(grafana.get("acknowledged").get("rule").asString())
			.as("matched by the pod's label app.kubernetes.io/name").isEqualTo("upgrade-readiness.acknowledgements[1]");
		assertThat(grafana.get("acknowledged").has("expires")).isFalse();
		// The rule for another machine matches nothing: the orphan machine still blocks.
		assertThat(finding(report, "machines-running").has("acknowledged")).isFalse();
		assertThat(strings(report.get("reasons"))).contains("machines-running: 1 blocking finding")
			.noneMatch(reason -> reason.startsWith("single-replica-volumes"));
		assertThat(this.http.get("/actuator/health/upgrade").json().get("components").get("upgradeReadiness")
			.get("details").get("blockingFindings").asInt()).isEqualTo(6);
	}

	@Test
	void anExpiredRuleNoLongerAppliesAndTheReportSaysSo() {
		JsonNode report = this.http.get("/api/v1/upgrade-readiness?checks=backup-schedules-suspended").json();

		assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
		JsonNode finding = report.get("findings").get(0);
		assertThat(finding.has("acknowledged")).isFalse();
		JsonNode expired = report.get("expiredAcknowledgements");
		assertThat(expired).hasSize(1);
		assertThat(expired.get(0).get("rule").asString()).isEqualTo("upgrade-readiness.acknowledgements[2]");
		assertThat(expired.get(0).get("check").asString()).isEqualTo("backup-schedules-suspended");
		assertThat(expired.get(0).get("expires").asString()).isEqualTo("2020-01-31");
		assertThat(strings(expired.get(0).get("findings"))).containsExactly(finding.get("id").asString());
		assertThat(report.get("summary").get("acknowledged").asInt()).isZero();
	}

	@Test
	void excludeKeepsWorkingBesideTheRules() {
		JsonNode report = this.http
			.get("/api/v1/upgrade-readiness?exclude=machines-running,machine-node-match,vms-live-migratable,"
					+ "backup-schedules-suspended,volumes-backing-image-ready")
			.json();

		assertThat(report.get("verdict").asString()).as("the remaining blocker is acknowledged").isEqualTo("READY");
		assertThat(report.get("summary").get("acknowledged").asInt()).isEqualTo(2);
	}

	@Test
	void theTextReportShowsAcknowledgedFindingsAndExpiredRules() {
		Response text = this.http.get("/api/v1/upgrade-readiness?format=text");

		assertThat(text.body()).contains("~ acknowledged: Following PVCs with single-replica volume")
			.contains("reason: build cache, rebuilt on demand (OPS-1234) (until 2999-12-31)")
			.contains("acknowledgement upgrade-readiness.acknowledgements[2] (backup-schedules-suspended) expired on "
					+ "2020-01-31 and no longer applies: 1 finding count again")
			.contains("NOT_READY: 6 blocking findings, 2 warnings, 2 acknowledged;");
	}

	private static List<String> acknowledgedChecks(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.filter(f -> f.has("acknowledged"))
			.map(f -> f.get("checkId").asString())
			.toList();
	}

	private static JsonNode finding(JsonNode report, String checkId) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.filter(f -> f.get("checkId").asString().equals(checkId))
			.findFirst()
			.orElseThrow();
	}

	private static List<String> strings(JsonNode array) {
		return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
	}

}
