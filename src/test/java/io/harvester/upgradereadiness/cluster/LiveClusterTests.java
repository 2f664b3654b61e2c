package io.harvester.upgradereadiness.cluster;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import io.harvester.upgradereadiness.support.MockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on a live cluster: the fabric8 CRUD mock API server, over real HTTP with real informers. The
 * service starts before the API server exists, then follows the cluster as it changes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "upgrade-readiness.snapshot.discovery-retry-interval=200ms",
			"upgrade-readiness.snapshot.discovery-interval=2s" })
class LiveClusterTests {

	static final MockCluster cluster = new MockCluster();

	@LocalServerPort
	int port;

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	@Test
	void startsWithoutTheApiServerThenSyncsAndFollowsTheClusterWithoutListingPerRequest() {
		HttpTestClient http = new HttpTestClient(this.port);

		// No API server yet: the service is up, not ready, and says what it waits for.
		Response early = http.get("/api/v1/upgrade-readiness");
		assertThat(early.status()).isEqualTo(503);
		assertThat(early.contentType()).isEqualTo("application/problem+json");
		assertThat(early.header("Retry-After")).isEqualTo("5");
		assertThat(early.json().get("detail").asString()).startsWith("The cluster snapshot is not ready yet; still waiting for: nodes");
		assertThat(early.json().get("pending").get(0).get("resource").asString()).isEqualTo("nodes");
		assertThat(early.json().get("pending").get(0).get("listed").asInt()).isZero();
		assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
		Response notReady = http.get("/actuator/health/readiness");
		assertThat(notReady.status()).isEqualTo(503);
		assertThat(notReady.json().get("components").get("clusterSnapshot").get("status").asString()).isEqualTo("DOWN");
		assertThat(http.get("/actuator/health/upgrade").json().get("status").asString()).isEqualTo("UNKNOWN");

		// The API server appears, with the demo cluster: the service syncs without a restart.
		cluster.start();
		cluster.installMachineCrd();
		cluster.apply("demo-snapshot/nodes.yaml");
		cluster.apply("demo-snapshot/machines.yaml");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Response synced = http.get("/api/v1/upgrade-readiness");
			assertThat(synced.status()).isEqualTo(200);
			JsonNode report = synced.json();
			assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
			assertThat(HttpTestClient.kind(report, "machines.cluster.x-k8s.io").get("count").asInt()).isEqualTo(4);
		});
		JsonNode report = http.get("/api/v1/upgrade-readiness").json();
		assertThat(messages(report)).containsExactly(
				"machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning",
				"machine fleet-local/custom-4d279419a084 has empty NodeRef, check the cluster provision",
				"machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, but no node carries it");
		assertThat(report.get("snapshot").get("source").asString()).isEqualTo("live:" + cluster.url());
		assertThat(HttpTestClient.kind(report, "machines.cluster.x-k8s.io").get("apiVersion").asString())
			.isEqualTo("cluster.x-k8s.io/v1beta1");
		assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);

		// Serving requests never lists or reads objects from the API server: the informers' watches are the only
		// traffic (periodic discovery of absent CRDs, /apis/<group>[/<version>], may run meanwhile).
		cluster.takeRequests();
		for (int i = 0; i < 25; i++) {
			assertThat(http.get("/api/v1/upgrade-readiness").status()).isEqualTo(200);
			assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
			assertThat(http.get("/actuator/health/upgrade").status()).isEqualTo(503);
			assertThat(http.get("/actuator/prometheus").status()).isEqualTo(200);
		}
		assertThat(cluster.takeRequests()).allMatch(request -> request.matches("GET /apis/[^/?]+(/[^/?]+)?"));
		long version = report.get("snapshot").get("version").asLong();
		assertThat(http.get("/api/v1/upgrade-readiness").json().get("snapshot").get("version").asLong())
			.as("an unchanged cluster keeps its snapshot").isEqualTo(version);

		// A node goes NotReady: its Running machine is reported.
		KubernetesClient admin = cluster.admin();
		Node harv42 = admin.nodes().withName("harv42").get();
		for (NodeCondition condition : harv42.getStatus().getConditions()) {
			if (condition.getType().equals("Ready")) {
				condition.setStatus("False");
				condition.setReason("KubeletNotReady");
				condition.setMessage("PLEG is not healthy");
			}
		}
		admin.nodes().resource(harv42).update();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(messages(http.get("/api/v1/upgrade-readiness").json())).contains(
					"machine fleet-local/custom-8b3d1bdf21ef is Running, but its node harv42 is not ready: "
							+ "Ready=False (KubeletNotReady: PLEG is not healthy)"));

		// The orphan machine is deleted: its findings go.
		admin.genericKubernetesResources(MockCluster.machines())
			.inNamespace("fleet-local")
			.withName("custom-4d279419a084")
			.delete();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			JsonNode after = http.get("/api/v1/upgrade-readiness").json();
			assertThat(messages(after)).containsExactly(
					"machine fleet-local/custom-8b3d1bdf21ef is Running, but its node harv42 is not ready: "
							+ "Ready=False (KubeletNotReady: PLEG is not healthy)",
					"node harv42 is not ready, please wait for it to be ready: "
							+ "Ready=False (KubeletNotReady: PLEG is not healthy)");
			assertThat(HttpTestClient.kind(after, "machines.cluster.x-k8s.io").get("count").asInt()).isEqualTo(3);
		});
	}

	private static List<String> messages(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.map(f -> f.get("message").asString())
			.toList();
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
