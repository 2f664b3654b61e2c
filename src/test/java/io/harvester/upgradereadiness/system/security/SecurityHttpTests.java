package io.harvester.upgradereadiness.system.security;

import java.time.Duration;
import java.util.List;


import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harvester.upgradereadiness.client.ApiClient;
import io.harvester.upgradereadiness.client.api.UpgradeReadinessApi;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import io.harvester.upgradereadiness.support.MockCluster;
import io.harvester.upgradereadiness.support.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.web.client.RestClientResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code security.mode=kubernetes} against the fabric8 mock API server, over real HTTP: the service reviews bearer
 * tokens with TokenReview and SubjectAccessReview requests that the mock answers from expectations (tokens starting
 * with {@code reader} belong to user {@code reader}, who may get /api/v1/upgrade-readiness; {@code outsider...} to a
 * user who may not; anything else is not authenticated). CORS for one allowed origin in the same context, since
 * preflights must pass without a token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "upgrade-readiness.security.mode=kubernetes",
				"upgrade-readiness.cors.allowed-origins=https://rancher.example.com",
				"upgrade-readiness.snapshot.discovery-retry-interval=200ms" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityHttpTests {

	static final MockCluster cluster = new MockCluster();

	static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";

	static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

	static final String ALLOWED_ORIGIN = "https://rancher.example.com";

	private static final KubernetesSerialization JSON = new KubernetesSerialization();

	@LocalServerPort
	int port;

	HttpTestClient http;

	@BeforeAll
	static void startCluster() {
		cluster.start();
		cluster.server().expect().post().withPath(TOKEN_REVIEWS).andReply(201, request -> {
			TokenReview review = JSON.unmarshal(request.getUtf8Body(), TokenReview.class);
			String token = review.getSpec().getToken();
			String user = token.startsWith("reader") ? "reader" : token.startsWith("outsider") ? "outsider" : null;
			TokenReviewBuilder answer = new TokenReviewBuilder(review).withNewStatus()
				.withAuthenticated(user != null)
				.withError((user == null) ? "SECRET-DETAIL: token expired at 12:00" : null)
				.endStatus();
			if (user != null) {
				answer.editStatus().withNewUser().withUsername(user).withUid("uid-" + user)
					.withGroups("system:authenticated").endUser().endStatus();
			}
			return answer.build();
		}).always();
		cluster.server().expect().post().withPath(ACCESS_REVIEWS).andReply(201, request -> {
			SubjectAccessReview review = JSON.unmarshal(request.getUtf8Body(), SubjectAccessReview.class);
			boolean allowed = "reader".equals(review.getSpec().getUser())
					&& review.getSpec().getNonResourceAttributes() != null
					&& "/api/v1/upgrade-readiness".equals(review.getSpec().getNonResourceAttributes().getPath())
					&& "get".equals(review.getSpec().getNonResourceAttributes().getVerb())
					&& review.getSpec().getGroups().contains("system:authenticated");
			return new SubjectAccessReviewBuilder(review).withNewStatus()
				.withAllowed(allowed)
				.withReason(allowed ? "RBAC: allowed by ClusterRoleBinding readers" : "SECRET-DETAIL: no RBAC rule")
				.endStatus()
				.build();
		}).always();
		cluster.installMachineCrd();
		cluster.apply("demo-snapshot/nodes.yaml");
		cluster.apply("demo-snapshot/machines.yaml");
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@BeforeEach
	void client() {
		this.http = new HttpTestClient(this.port);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(get("/api/v1/upgrade-readiness", "reader-sync").status()).isEqualTo(200));
	}

	@Test
	@Order(1)
	void withoutATokenTheApiIsAProblem401AskingForABearerToken() {
		for (String path : List.of("/api/v1/upgrade-readiness", "/api/v1/checks", "/v3/api-docs", "/swagger-ui.html",
				"/actuator/info", "/api/v1/nothing-here")) {
			Response response = this.http.get(path);

			assertThat(response.status()).as(path).isEqualTo(401);
			assertThat(response.header("WWW-Authenticate")).as(path)
				.isEqualTo("Bearer realm=\"harvester-upgrade-readiness\"");
			assertThat(response.contentType()).as(path).isEqualTo("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(path).isEqualTo("Send a Kubernetes bearer token: "
					+ "Authorization: Bearer <token>. Requests through the Kubernetes service proxy (Rancher's or "
					+ "Harvester's /api/v1/namespaces/<namespace>/services/<service>/proxy/) carry no token: the API "
					+ "server removes it before proxying. Behind the proxy, run the service with "
					+ "upgrade-readiness.security.mode=none and let RBAC on services/proxy decide; see "
					+ "docs/operations.md, \"Behind the service proxy\".");
		}
		for (String header : List.of("Basic cmVhZGVyOnB3", "Bearer", "Bearer ", "reader-token")) {
			assertThat(this.http.get("/api/v1/upgrade-readiness", "Authorization", header).status()).as(header)
				.isEqualTo(401);
		}
	}

	@Test
	@Order(2)
	void anUnknownTokenIs401WithoutSayingWhy() {
		Response response = get("/api/v1/upgrade-readiness", "stolen-or-expired");

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate"))
			.isEqualTo("Bearer realm=\"harvester-upgrade-readiness\", error=\"invalid_token\"");
		assertThat(response.json().get("detail").asString())
			.isEqualTo("The bearer token was not accepted. Send a valid Kubernetes token.");
		assertThat(response.body()).doesNotContain("SECRET-DETAIL").doesNotContain("stolen-or-expired");
	}

	@Test
	@Order(3)
	void anAuthenticatedUserWithoutTheRbacRuleIs403NamingTheMissingRule() {
		Response response = get("/api/v1/upgrade-readiness", "outsider-token");

		assertThat(response.status()).isEqualTo(403);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("missingRule").get("nonResourceURLs").get(0).asString())
			.isEqualTo("/api/v1/upgrade-readiness");
		assertThat(response.json().get("missingRule").get("verbs").get(0).asString()).isEqualTo("get");
		assertThat(response.body()).doesNotContain("SECRET-DETAIL").doesNotContain("outsider-token");
		assertThat(get("/v3/api-docs", "outsider-token").status()).as("the API docs follow the API's rule")
			.isEqualTo(403);
	}

	@Test
	@Order(4)
	void anAllowedTokenReadsTheReportTheCatalogueAndTheApiDocs() {
		Response report = get("/api/v1/upgrade-readiness", "reader-token");

		assertThat(report.status()).isEqualTo(200);
		assertThat(report.json().get("verdict").asString()).isEqualTo("NOT_READY");
		assertThat(get("/api/v1/checks", "reader-token").status()).isEqualTo(200);
		assertThat(get("/v3/api-docs", "reader-token").status()).isEqualTo(200);
		assertThat(this.http.get("/api/v1/upgrade-readiness", "Authorization", "bearer   reader-token ").status())
			.as("the scheme is case-insensitive").isEqualTo(200);
	}

	@Test
	@Order(4)
	void aClientGeneratedFromTheContractSendsItsBearerToken() {
		ApiClient client = new ApiClient().setBasePath("http://localhost:" + this.port);
		client.setBearerToken("reader-generated");

		assertThat(new UpgradeReadinessApi(client).checks()).isNotEmpty();
		assertThatExceptionOfType(RestClientResponseException.class)
			.isThrownBy(() -> new UpgradeReadinessApi(new ApiClient().setBasePath("http://localhost:" + this.port)).checks())
			.satisfies(ex -> assertThat(ex.getStatusCode().value()).isEqualTo(401));
	}

	@Test
	@Order(5)
	void decisionsAreCachedPerTokenOneReviewWithinTheTtl() {
		cluster.takeRequests();

		for (int i = 0; i < 5; i++) {
			assertThat(get("/api/v1/upgrade-readiness", "reader-cache").status()).isEqualTo(200);
			assertThat(get("/api/v1/upgrade-readiness", "outsider-cache").status()).isEqualTo(403);
			assertThat(get("/api/v1/upgrade-readiness", "unknown-cache").status()).isEqualTo(401);
		}

		List<String> requests = cluster.takeRequests();
		assertThat(requests).filteredOn(r -> r.equals("POST " + TOKEN_REVIEWS)).as("one per token").hasSize(3);
		assertThat(requests).filteredOn(r -> r.equals("POST " + ACCESS_REVIEWS))
			.as("one per authenticated token").hasSize(2);
	}

	@ParameterizedTest
	@Order(6)
	@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
			"/actuator/health/upgrade", "/", "/index.html", "/page.js", "/page.css" })
	void healthProbesAndThePageStayOpen(String path) {
		Response response = this.http.get(path);

		assertThat(response.status()).as(path).isIn(200, 503);
		assertThat(response.header("WWW-Authenticate")).isNull();
	}

	@ParameterizedTest
	@Order(7)
	@ValueSource(strings = { "/actuator/health/../../api/v1/upgrade-readiness",
			"/actuator/health/%2e%2e/%2e%2e/api/v1/upgrade-readiness", "/actuator/health;x/../../api/v1/checks",
			"/index.html/../api/v1/upgrade-readiness", "//api/v1/upgrade-readiness", "/api/v1/upgrade-readiness;x",
			"/api/v1/%75pgrade-readiness", "/actuator/health/..%2F..%2Fapi%2Fv1%2Fupgrade-readiness" })
	void noSpellingOfAProtectedPathPassesForAnOpenOne(String path) {
		RawHttp.Response response = RawHttp.get(this.port, path);

		assertThat(response.status()).as(path).isNotEqualTo(200).isBetween(400, 499);
		assertThat(response.body()).as(path).doesNotContain("verdict");
	}

	// ---- CORS -------------------------------------------------------------------------------------------------

	@Test
	@Order(8)
	void aPreflightFromTheAllowedOriginPassesWithoutATokenForGetOnly() {
		RawHttp.Response preflight = RawHttp.send(this.port, "OPTIONS", "/api/v1/upgrade-readiness".getBytes(),
				"Origin", ALLOWED_ORIGIN, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers",
				"authorization");

		assertThat(preflight.status()).isEqualTo(200);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
		assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET");
		assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualToIgnoringCase("authorization");
		assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

		RawHttp.Response delete = RawHttp.send(this.port, "OPTIONS", "/api/v1/upgrade-readiness".getBytes(), "Origin",
				ALLOWED_ORIGIN, "Access-Control-Request-Method", "DELETE");
		assertThat(delete.status()).isEqualTo(403);
		assertThat(delete.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	@Order(9)
	void aPreflightFromAnotherOriginIsRefused() {
		RawHttp.Response preflight = RawHttp.send(this.port, "OPTIONS", "/api/v1/upgrade-readiness".getBytes(),
				"Origin", "https://evil.example.com", "Access-Control-Request-Method", "GET",
				"Access-Control-Request-Headers", "authorization");

		assertThat(preflight.status()).isEqualTo(403);
		assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
		assertThat(preflight.header("Content-Type")).isEqualTo("application/problem+json");

		Response read = this.http.get("/api/v1/upgrade-readiness", "Origin", "https://evil.example.com",
				"Authorization", "Bearer reader-token");
		assertThat(read.status()).isEqualTo(403);
		assertThat(read.body()).doesNotContain("verdict");
	}

	@Test
	@Order(10)
	void theAllowedOriginReadsTheReportAndItsProblems() {
		Response read = this.http.get("/api/v1/upgrade-readiness", "Origin", ALLOWED_ORIGIN, "Authorization",
				"Bearer reader-token");
		assertThat(read.status()).isEqualTo(200);
		assertThat(read.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);

		Response unauthorized = this.http.get("/api/v1/upgrade-readiness", "Origin", ALLOWED_ORIGIN);
		assertThat(unauthorized.status()).isEqualTo(401);
		assertThat(unauthorized.header("Access-Control-Allow-Origin")).as("the page can read the 401")
			.isEqualTo(ALLOWED_ORIGIN);
		assertThat(unauthorized.header("Access-Control-Expose-Headers")).contains("WWW-Authenticate");
	}

	// ---- the API server is lost -------------------------------------------------------------------------------

	@Test
	@Order(20)
	void anUnreachableApiServerIs503ForANewTokenWhileCachedDecisionsStillHold() {
		assertThat(get("/api/v1/upgrade-readiness", "reader-before-loss").status()).isEqualTo(200);
		cluster.stop();

		Response response = get("/api/v1/upgrade-readiness", "reader-after-loss");

		assertThat(response.status()).isEqualTo(503);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.header("Retry-After")).isEqualTo("5");
		assertThat(response.json().get("detail").asString())
			.isEqualTo("The Kubernetes API server cannot review the bearer token now; retry later.");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("localhost");
		assertThat(get("/api/v1/upgrade-readiness", "reader-before-loss").status()).as("cached within the TTL")
			.isEqualTo(200);
		assertThat(this.http.get("/actuator/health/liveness").status()).isEqualTo(200);
	}

	private Response get(String path, String token) {
		return this.http.get(path, "Authorization", "Bearer " + token);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class MockClusterClient {

		@Bean(destroyMethod = "close")
		@Primary
		KubernetesClient mockClusterClient() {
			return cluster.serviceClient();
		}

	}


}
