package io.harvester.upgradereadiness.report;

import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** Content negotiation of the report: JSON for clients and curl's default, text for people who ask for it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class TextReportHttpTests {

	@LocalServerPort
	int port;

	HttpTestClient http;

	@BeforeEach
	void client() {
		this.http = new HttpTestClient(this.port);
	}

	@Test
	void curlsDefaultAcceptGetsJson() {
		Response response = this.http.get("/api/v1/upgrade-readiness", "Accept", "*/*");

		assertThat(response.contentType()).startsWith("application/json");
		assertThat(response.json().get("verdict").asString()).isEqualTo("NOT_READY");
	}

	@Test
	void acceptTextPlainGetsTheTextReport() {
		Response response = this.http.get("/api/v1/upgrade-readiness", "Accept", "text/plain");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo("text/plain;charset=UTF-8");
		assertThat(response.body()).startsWith("Harvester upgrade readiness: NOT_READY\n")
			.contains("[-] FAIL     machines-running")
			.contains("resources: Machine fleet-local/custom-4d279419a084")
			.doesNotContain("\u001B[");
		assertThat(response.body().lines().reduce((a, b) -> b).orElseThrow()).startsWith("NOT_READY: ");
	}

	@Test
	void formatTextWorksWithoutHeadersAndColourOnlyWhenAsked() {
		Response plain = this.http.get("/api/v1/upgrade-readiness?format=text");
		Response colour = this.http.get("/api/v1/upgrade-readiness?format=text&color=true");

		assertThat(plain.contentType()).startsWith("text/plain");
		assertThat(plain.body()).doesNotContain("\u001B[");
		assertThat(colour.body()).contains("\u001B[31mNOT_READY\u001B[0m");
	}

	@Test
	void formatJsonWinsOverAccept() {
		Response response = this.http.get("/api/v1/upgrade-readiness?format=json", "Accept", "text/plain");

		assertThat(response.contentType()).startsWith("application/json");
	}

	@Test
	void anUnknownFormatIsAProblem() {
		Response response = this.http.get("/api/v1/upgrade-readiness?format=yaml");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString()).isEqualTo("'format' must be text or json");
	}

}
