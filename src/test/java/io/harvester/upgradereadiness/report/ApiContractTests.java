package io.harvester.upgradereadiness.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.harvester.upgradereadiness.client.ApiClient;
import io.harvester.upgradereadiness.client.api.UpgradeReadinessApi;
import io.harvester.upgradereadiness.client.model.CheckInfo;
import io.harvester.upgradereadiness.client.model.Finding;
import io.harvester.upgradereadiness.client.model.ReadinessReport;
import io.harvester.upgradereadiness.support.HttpTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The API contract: the running service's OpenAPI document is the committed {@code docs/openapi.json}, and a client
 * generated from that file (openapi-generator, in the test build) reads the service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class ApiContractTests {

	static final Path CONTRACT = Path.of("docs/openapi.json");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	@LocalServerPort
	int port;

	@Test
	void theRunningServiceServesTheCommittedContract() throws IOException {
		JsonNode served = new HttpTestClient(this.port).get("/v3/api-docs").json();
		JsonNode committed = JSON.readTree(Files.readString(CONTRACT));
		if (!served.equals(committed)) {
			Path actual = Path.of("target/openapi-actual.json");
			Files.writeString(actual, JSON.writeValueAsString(served) + "\n");
			if (Boolean.getBoolean("openapi.update")) {
				Files.writeString(CONTRACT, JSON.writeValueAsString(served) + "\n");
				return;
			}
			fail("The API contract changed: docs/openapi.json differs from the running service's /v3/api-docs "
					+ "(written to " + actual + "). If the change is intended, accept it with "
					+ "./mvnw test -Dtest=ApiContractTests -Dopenapi.update=true and commit the diff.");
		}
	}

	@Test
	void aGeneratedClientReadsTheVerdictAndTheFindings() {
		UpgradeReadinessApi api = new UpgradeReadinessApi(new ApiClient().setBasePath("http://localhost:" + this.port));

		ReadinessReport report = api.readiness(null, null, null, null, null, null, null, null, null);

		assertThat(report.getVerdict()).isEqualTo(ReadinessReport.VerdictEnum.NOT_READY);
		assertThat(report.getReady()).isFalse();
		assertThat(report.getFindings()).extracting(Finding::getMessage)
			.contains("machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning");
		Finding first = report.getFindings().get(0);
		assertThat(first.getResources()).singleElement()
			.satisfies(r -> assertThat(r.getNamespace() + "/" + r.getName()).isEqualTo("fleet-local/custom-4d279419a084"));
		assertThat(report.getSummary().getBlockingFindings()).isPositive();
		List<CheckInfo> checks = api.checks();
		assertThat(checks).extracting(CheckInfo::getId).startsWith("machines-running", "machine-node-match");
	}

	@Test
	void aGeneratedClientSeesProblemResponses() {
		UpgradeReadinessApi api = new UpgradeReadinessApi(new ApiClient().setBasePath("http://localhost:" + this.port));

		assertThatExceptionOfType(RestClientResponseException.class)
			.isThrownBy(() -> api.readiness(List.of("no-such-check"), null, null, null, null, null, null, null, null))
			.satisfies(ex -> {
				assertThat(ex.getStatusCode().value()).isEqualTo(400);
				assertThat(ex.getResponseBodyAsString()).contains("Unknown check id(s) in 'checks': no-such-check");
			});
	}

}
