package io.harvester.upgradereadiness.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.harvester.upgradereadiness.support.Corruptions;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import io.harvester.upgradereadiness.support.MockCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live snapshot under faults, through HTTP against the fabric8 mock API server: a kind the service account may
 * not list, a CRD installed after start-up, concurrent requests while objects change, objects with broken fields,
 * and the API server lost and back. The answer is true or says it does not know, and the service keeps answering.
 * Publishing to OpenReports is on throughout: its Report follows the cluster, and nothing of it reaches the answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "upgrade-readiness.snapshot.discovery-interval=500ms",
				"upgrade-readiness.snapshot.discovery-retry-interval=200ms",
				"upgrade-readiness.snapshot.max-staleness=3s",
				"upgrade-readiness.publish.open-reports.enabled=true",
				"upgrade-readiness.publish.open-reports.namespace=harvester-system",
				"upgrade-readiness.publish.open-reports.min-interval=1s" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveClusterFaultTests {

	static final MockCluster cluster = new MockCluster();

	/** The informers list in pages, from etcd rather than the watch cache (which ignores limit). */
	static final String CAPI_CLUSTERS_LIST = "/apis/cluster.x-k8s.io/v1beta1/clusters?limit="
			+ InformerSnapshotSource.LIST_PAGE_SIZE;

	@LocalServerPort
	int port;

	HttpTestClient http;

	@BeforeAll
	static void startCluster() {
		cluster.start();
		seed();
	}

	/** The demo nodes and machines, CRDs for a few Harvester kinds, and a service account that may not list CAPI clusters. */
	static void seed() {
		cluster.server()
			.expect()
			.get()
			.withPath(CAPI_CLUSTERS_LIST)
			.andReturn(403, new StatusBuilder().withStatus("Failure")
				.withReason("Forbidden")
				.withCode(403)
				.withMessage("clusters.cluster.x-k8s.io is forbidden: User \"system:serviceaccount:harvester-system:"
						+ "upgrade-readiness\" cannot list resource \"clusters\" in API group \"cluster.x-k8s.io\" at the "
						+ "cluster scope")
				.build())
			.always();
		cluster.installMachineCrd();
		cluster.installCrd(WatchedKind.CAPI_CLUSTERS);
		cluster.installCrd(WatchedKind.UPGRADES);
		cluster.installCrd(WatchedKind.VM_BACKUPS);
		cluster.installOpenReportsCrd();
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
	}

	@Test
	@Order(1)
	void aForbiddenKindMakesItsChecksErrorWithTheMissingRuleAndTheOthersStillRun() {
		JsonNode report = awaitReport(r -> assertThat(check(r, "capi-cluster-provisioned").get("status").asString())
			.isEqualTo("ERROR"));

		String rule = "grant apiGroups: [\"cluster.x-k8s.io\"], resources: [clusters], verbs: [get, list, watch]";
		assertThat(check(report, "capi-cluster-provisioned").get("reason").asString()).isEqualTo(
				"cannot evaluate: forbidden: the service account may not list clusters.cluster.x-k8s.io (HTTP 403 "
						+ "Forbidden); " + rule);
		assertThat(check(report, "capi-cluster-not-paused").get("status").asString()).isEqualTo("ERROR");
		JsonNode kind = HttpTestClient.kind(report, "clusters.cluster.x-k8s.io");
		assertThat(kind.get("forbidden").asBoolean()).isTrue();
		assertThat(strings(kind.get("missingRule").get("verbs"))).containsExactly("get", "list", "watch");
		assertThat(strings(kind.get("missingRule").get("resources"))).containsExactly("clusters");
		// Everything else still runs.
		assertThat(check(report, "machines-running").get("status").asString()).isEqualTo("FAIL");
		assertThat(check(report, "upgrade-not-in-progress").get("status").asString()).isEqualTo("PASS");
		assertThat(check(report, "vm-backups-idle").get("status").asString()).isEqualTo("PASS");
		assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
		// The service stays ready and says what it cannot read.
		Response readiness = this.http.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("components").get("clusterSnapshot").get("details").get("kinds")
			.get("clusters.cluster.x-k8s.io").get("forbidden").asBoolean()).isTrue();
	}

	@Test
	@Order(2)
	void aCrdInstalledAfterStartUpIsPickedUpAndItsChecksRun() {
		JsonNode before = awaitReport(r -> {
		});
		assertThat(check(before, "single-replica-volumes").get("status").asString()).isEqualTo("SKIPPED");
		assertThat(check(before, "single-replica-volumes").get("skipKind").asString()).isEqualTo("MISSING_DATA");
		assertThat(HttpTestClient.kind(before, "volumes.longhorn.io").get("present").asBoolean()).isFalse();

		cluster.installCrd(WatchedKind.LONGHORN_VOLUMES);
		GenericKubernetesResource volume = cluster.admin().getKubernetesSerialization().unmarshal("""
				apiVersion: longhorn.io/v1beta2
				kind: Volume
				metadata:
				  name: pvc-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
				  namespace: longhorn-system
				spec:
				  numberOfReplicas: 1
				status:
				  state: attached
				  robustness: healthy
				  kubernetesStatus:
				    namespace: default
				    pvcName: scratch
				""", GenericKubernetesResource.class);
		cluster.admin().genericKubernetesResources(MockCluster.context(WatchedKind.LONGHORN_VOLUMES))
			.inNamespace("longhorn-system")
			.resource(volume)
			.create();

		JsonNode after = awaitReport(r -> assertThat(check(r, "single-replica-volumes").get("status").asString())
			.isEqualTo("FAIL"));
		assertThat(HttpTestClient.kind(after, "volumes.longhorn.io").get("present").asBoolean()).isTrue();
		assertThat(messages(after)).contains("Following PVCs with single-replica volume, even the volume is "
				+ "detached, upgrade may have potential data integrity concerns: default/scratch");
	}

	@Test
	@Order(3)
	void concurrentRequestsWhileObjectsChangeSeeInternallyConsistentReports() throws Exception {
		AtomicBoolean changing = new AtomicBoolean(true);
		ExecutorService pool = Executors.newFixedThreadPool(9);
		try {
			Future<Integer> mutator = pool.submit(() -> {
				int changes = 0;
				Random random = new Random(42);
				KubernetesClient admin = cluster.admin();
				while (changing.get()) {
					Node node = admin.nodes().withName("harv4" + (1 + random.nextInt(3))).get();
					for (NodeCondition condition : node.getStatus().getConditions()) {
						if (condition.getType().equals("Ready")) {
							condition.setStatus(random.nextBoolean() ? "True" : "False");
						}
					}
					admin.nodes().resource(node).update();
					String name = "custom-flap" + random.nextInt(3);
					var machines = admin.genericKubernetesResources(MockCluster.machines()).inNamespace("fleet-local");
					if (machines.withName(name).get() == null) {
						machines.resource(machine(name)).create();
					}
					else {
						machines.withName(name).delete();
					}
					changes++;
				}
				return changes;
			});
			List<Future<List<String>>> readers = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				readers.add(pool.submit(() -> {
					List<String> problems = new ArrayList<>();
					for (int i = 0; i < 25; i++) {
						Response response = this.http.get("/api/v1/upgrade-readiness");
						if (response.status() != 200) {
							problems.add("status " + response.status() + ": " + response.body());
							continue;
						}
						problems.addAll(inconsistencies(response.json()));
					}
					return problems;
				}));
			}
			List<String> problems = new ArrayList<>();
			for (Future<List<String>> reader : readers) {
				problems.addAll(reader.get(120, TimeUnit.SECONDS));
			}
			changing.set(false);
			assertThat(mutator.get(30, TimeUnit.SECONDS)).as("changes made while reading").isPositive();
			assertThat(problems).isEmpty();
		}
		finally {
			changing.set(false);
			pool.shutdownNow();
		}
	}

	@Test
	@Order(4)
	void brokenFieldsNeverFailTheReportAndTheUntouchedChecksStillPass() {
		Random random = new Random(7);
		KubernetesClient admin = cluster.admin();
		var machines = admin.genericKubernetesResources(MockCluster.machines()).inNamespace("fleet-local");
		var nodes = admin.genericKubernetesResources(MockCluster.context(WatchedKind.NODES));
		for (int i = 0; i < 16; i++) {
			boolean onMachine = random.nextBoolean();
			GenericKubernetesResource object = onMachine ? machine("custom-fuzz" + i) : node("fuzz" + i);
			String corruption = Corruptions.apply(object, random);
			long version = awaitReport(r -> {
			}).get("snapshot").get("version").asLong();
			if (onMachine) {
				machines.resource(object).create();
			}
			else {
				nodes.resource(object).create();
			}
			JsonNode report = awaitReport(r -> assertThat(r.get("snapshot").get("version").asLong())
				.as("snapshot after " + corruption).isGreaterThan(version));
			Response raw = this.http.get("/api/v1/upgrade-readiness");
			assertThat(raw.status()).as(corruption).isEqualTo(200);
			assertThat(raw.body()).as(corruption).doesNotContain("Exception").doesNotContain("\tat ");
			assertThat(inconsistencies(report)).as(corruption).isEmpty();
			for (String untouched : List.of("upgrade-not-in-progress", "vm-backups-idle")) {
				assertThat(check(report, untouched).get("status").asString()).as(untouched + " after " + corruption)
					.isEqualTo("PASS");
			}
			for (JsonNode check : report.get("checks")) {
				assertThat(check.has("reason") ? check.get("reason").asString() : "").as(corruption)
					.doesNotContain("failed unexpectedly");
			}
		}
	}

	@Test
	@Order(5)
	void aLostApiServerMakesTheSnapshotStaleThenUnknownAndItRecoversWithoutARestart() {
		awaitReport(r -> assertThat(r.get("snapshot").get("stale").asBoolean()).isFalse());

		cluster.stop();

		// Every watch is lost; each kind counts as stale once its reconnect grace (5 s) has passed.
		JsonNode stale = awaitReport(r -> {
			assertThat(r.get("snapshot").get("stale").asBoolean()).isTrue();
			assertThat(strings(r.get("snapshot").get("staleKinds"))).contains("nodes", "machines.cluster.x-k8s.io");
		});
		assertThat(stale.get("snapshot").get("lastContactAt").asString()).isNotBlank();
		JsonNode unknown = awaitReport(r -> assertThat(r.get("verdict").asString()).isEqualTo("UNKNOWN"));
		assertThat(unknown.get("ready").asBoolean()).isFalse();
		assertThat(unknown.get("reasons").get(0).asString()).startsWith("the snapshot is stale: no contact with the "
				+ "API server for ").contains("(more than 3 s)");
		assertThat(unknown.get("snapshot").get("staleSeconds").asLong()).isGreaterThan(3);
		// The pod stays ready: it still has something true to say; the health details show what is stale.
		Response readiness = this.http.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		JsonNode details = readiness.json().get("components").get("clusterSnapshot").get("details");
		assertThat(details.get("stale").asBoolean()).isTrue();
		assertThat(strings(details.get("staleKinds"))).contains("nodes");
		assertThat(this.http.get("/actuator/health/upgrade").json().get("status").asString()).isEqualTo("UNKNOWN");

		cluster.start();
		seed();

		JsonNode fresh = awaitReport(r -> {
			assertThat(r.get("snapshot").get("stale").asBoolean()).isFalse();
			assertThat(r.get("verdict").asString()).isEqualTo("NOT_READY");
		});
		assertThat(messages(fresh)).contains(
				"machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning");
	}

	@Test
	@Order(6)
	void theOpenReportsReportShowsTheVerdictAndEachBlockingFindingAndFollowsTheCluster() {
		await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			GenericKubernetesResource report = openReport();
			assertThat(report).isNotNull();
			assertThat(report.getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict",
					"NOT_READY");
			assertThat(blockingMessages(report)).containsExactlyElementsOf(blockingMessages(awaitReport(r -> {
			})));
		});
		assertThat(blockingMessages(openReport()))
			.contains("machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning");
		JsonNode publishing = this.http.get("/actuator/health/readiness").json().get("components").get("openReports");
		assertThat(publishing.get("status").asString()).isEqualTo("UP");
		assertThat(publishing.get("details").get("state").asString()).isEqualTo("published");
		assertThat(publishing.get("details").get("report").asString())
			.isEqualTo("harvester-system/harvester-upgrade-readiness");
		String metrics = this.http.get("/actuator/prometheus").body();
		assertThat(metrics).contains("upgrade_readiness_openreports_crd_present 1.0")
			.containsPattern("upgrade_readiness_openreports_writes_total\\{result=\"ok\"} [1-9]")
			.contains("upgrade_readiness_openreports_writes_total{result=\"forbidden\"} 0.0");

		cluster.admin().genericKubernetesResources(MockCluster.machines())
			.inNamespace("fleet-local")
			.withName("custom-4d279419a084")
			.delete();

		await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(
				() -> assertThat(blockingMessages(openReport())).noneMatch(m -> m.contains("custom-4d279419a084")));
	}

	private static GenericKubernetesResource openReport() {
		return cluster.admin()
			.genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
				.withGroup("openreports.io")
				.withVersion("v1alpha1")
				.withKind("Report")
				.withPlural("reports")
				.withNamespaced(true)
				.build())
			.inNamespace("harvester-system")
			.withName("harvester-upgrade-readiness")
			.get();
	}

	@SuppressWarnings("unchecked")
	private static List<String> blockingMessages(GenericKubernetesResource report) {
		return ((List<Map<String, Object>>) report.getAdditionalProperties().get("results")).stream()
			.filter(r -> "fail".equals(r.get("result")))
			.map(r -> (String) r.get("message"))
			.toList();
	}

	private static List<String> blockingMessages(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.filter(f -> f.get("blocking").asBoolean())
			.map(f -> f.get("message").asString())
			.toList();
	}

	/** Inconsistencies between a report's summary, checks and findings; empty when it is consistent. */
	static List<String> inconsistencies(JsonNode report) {
		List<String> problems = new ArrayList<>();
		JsonNode summary = report.get("summary");
		JsonNode checks = report.get("checks");
		JsonNode findings = report.get("findings");
		int[] byStatus = new int[4];
		List<String> listed = new ArrayList<>();
		for (JsonNode check : checks) {
			switch (check.get("status").asString()) {
				case "PASS" -> byStatus[0]++;
				case "FAIL" -> byStatus[1]++;
				case "SKIPPED" -> byStatus[2]++;
				default -> byStatus[3]++;
			}
			check.get("findings").forEach(id -> listed.add(id.asString()));
			if (check.get("status").asString().equals("FAIL") != (check.get("findings").size() > 0)) {
				problems.add("check " + check.get("id").asString() + " status disagrees with its findings");
			}
		}
		List<String> ids = StreamSupport.stream(findings.spliterator(), false).map(f -> f.get("id").asString()).toList();
		long blocking = StreamSupport.stream(findings.spliterator(), false).filter(f -> f.get("blocking").asBoolean()).count();
		if (summary.get("checks").asInt() != checks.size() || summary.get("passed").asInt() != byStatus[0]
				|| summary.get("failed").asInt() != byStatus[1] || summary.get("skipped").asInt() != byStatus[2]
				|| summary.get("errored").asInt() != byStatus[3]) {
			problems.add("summary counts disagree with checks: " + summary);
		}
		if (summary.get("findings").asInt() != findings.size() || summary.get("blockingFindings").asInt() != blocking) {
			problems.add("summary counts disagree with findings: " + summary);
		}
		if (!listed.equals(ids)) {
			problems.add("checks list other findings than the report");
		}
		Set<String> unique = new HashSet<>(ids);
		if (unique.size() != ids.size()) {
			problems.add("duplicate finding ids");
		}
		String verdict = report.get("verdict").asString();
		if ((blocking > 0) != verdict.equals("NOT_READY") && !verdict.equals("UNKNOWN")) {
			problems.add("verdict " + verdict + " with " + blocking + " blocking findings");
		}
		if (report.get("ready").asBoolean() != verdict.equals("READY")) {
			problems.add("ready disagrees with the verdict");
		}
		return problems;
	}

	private JsonNode awaitReport(java.util.function.Consumer<JsonNode> condition) {
		JsonNode[] last = new JsonNode[1];
		await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			Response response = this.http.get("/api/v1/upgrade-readiness");
			assertThat(response.status()).isEqualTo(200);
			JsonNode report = response.json();
			condition.accept(report);
			last[0] = report;
		});
		return last[0];
	}

	private static GenericKubernetesResource machine(String name) {
		return cluster.admin().getKubernetesSerialization().unmarshal("""
				apiVersion: cluster.x-k8s.io/v1beta1
				kind: Machine
				metadata:
				  name: %s
				  namespace: fleet-local
				spec:
				  clusterName: local
				  providerID: rke2://%s
				status:
				  phase: Running
				  nodeRef:
				    kind: Node
				    name: %s
				""".formatted(name, name, name), GenericKubernetesResource.class);
	}

	private static GenericKubernetesResource node(String name) {
		return cluster.admin().getKubernetesSerialization().unmarshal("""
				apiVersion: v1
				kind: Node
				metadata:
				  name: %s
				  labels:
				    harvesterhci.io/managed: "true"
				  annotations:
				    cluster.x-k8s.io/machine: custom-%s
				spec:
				  providerID: rke2://%s
				status:
				  conditions:
				  - type: Ready
				    status: "True"
				    reason: KubeletReady
				""".formatted(name, name, name), GenericKubernetesResource.class);
	}

	private static JsonNode check(JsonNode report, String id) {
		for (JsonNode check : report.get("checks")) {
			if (id.equals(check.get("id").asString())) {
				return check;
			}
		}
		throw new AssertionError("no check " + id);
	}

	private static List<String> messages(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.map(f -> f.get("message").asString())
			.toList();
	}

	private static List<String> strings(JsonNode array) {
		return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
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
