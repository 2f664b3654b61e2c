package io.harvester.upgradereadiness.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import io.harvester.upgradereadiness.support.MockCluster;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service against a real API server (K3s): discovery, informers and the status subresource behave as in a
 * Harvester cluster, which the mock server only approximates (stack notes, trap 12). Skipped where no Docker
 * engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "upgrade-readiness.snapshot.discovery-interval=1s",
				"upgrade-readiness.snapshot.discovery-retry-interval=500ms" })
class K3sClusterTests {

	@Container
	static final K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

	@LocalServerPort
	int port;

	@Test
	void reportsTheOrphanMachineOfARealApiServer() throws Exception {
		try (KubernetesClient admin = client()) {
			// The CRD arrives after the service started: discovery picks it up without a restart.
			admin.apiextensions().v1().customResourceDefinitions().resource(machineCrd()).create();
			admin.apiextensions()
				.v1()
				.customResourceDefinitions()
				.withName("machines.cluster.x-k8s.io")
				.waitUntilCondition(crd -> crd.getStatus() != null && crd.getStatus()
					.getConditions()
					.stream()
					.anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())), 60,
						TimeUnit.SECONDS);
			for (String file : List.of("demo-snapshot/nodes.yaml", "demo-snapshot/machines.yaml")) {
				List<HasMetadata> items = admin.load(getClass().getClassLoader().getResourceAsStream(file)).items();
				for (HasMetadata item : items) {
					create(admin, item);
				}
			}
		}

		HttpTestClient http = new HttpTestClient(this.port);
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
			Response response = http.get("/api/v1/upgrade-readiness");
			assertThat(response.status()).isEqualTo(200);
			JsonNode report = response.json();
			assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
			assertThat(messages(report)).contains(
					"machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning",
					"machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, but no node carries it");
		});
		JsonNode machines = HttpTestClient.kind(http.get("/api/v1/upgrade-readiness").json(), "machines.cluster.x-k8s.io");
		assertThat(machines.get("present").asBoolean()).isTrue();
		assertThat(machines.get("apiVersion").asString()).isEqualTo("cluster.x-k8s.io/v1beta1");
		assertThat(machines.get("count").asInt()).isEqualTo(4);
	}

	/**
	 * The OpenReports seam on a real API server: whether reports.openreports.io is served is read from the
	 * APIResourceList at /apis/openreports.io/v1alpha1 (absent before the CRD, present once it is established), and
	 * the Report round-trips so that reading it back compares equal (no write when nothing changed).
	 */
	@Test
	void theOpenReportsClientAsksAndWritesTheWayARealApiServerAnswers() {
		try (KubernetesClient admin = client()) {
			OpenReportsClient reports = new OpenReportsClient(admin);
			assertThat(reports.served()).isFalse();

			admin.apiextensions().v1().customResourceDefinitions().resource(openReportsCrd()).create();
			await().atMost(Duration.ofSeconds(60)).until(reports::served);

			java.time.Instant now = java.time.Instant.now();
			io.harvester.upgradereadiness.report.ReadinessReport report = new io.harvester.upgradereadiness.report.ReportService(
					FileSnapshotSource.load("classpath:demo-snapshot", now), io.harvester.upgradereadiness.check.CheckCatalogue.standard(),
					new io.harvester.upgradereadiness.check.CheckRunner(), java.time.Clock.systemUTC(),
					io.harvester.upgradereadiness.check.CheckOptions.defaults(), Duration.ofSeconds(60))
				.report();
			GenericKubernetesResource desired = io.harvester.upgradereadiness.publish.OpenReportMapping.map(report, "default",
					"harvester-upgrade-readiness", 500);
			java.util.function.BiPredicate<GenericKubernetesResource, GenericKubernetesResource> same = (existing,
					wanted) -> io.harvester.upgradereadiness.publish.OpenReportMapping.content(existing)
				.equals(io.harvester.upgradereadiness.publish.OpenReportMapping.content(wanted));

			assertThat(reports.put(desired, same).outcome()).isEqualTo(OpenReportsClient.Outcome.CREATED);
			assertThat(reports.put(desired, same).outcome()).isEqualTo(OpenReportsClient.Outcome.UNCHANGED);
		}
	}

	/** The OpenReports Report CRD as the openreports chart installs it, reduced to what a structural schema needs. */
	private static CustomResourceDefinition openReportsCrd() {
		return new CustomResourceDefinitionBuilder().withNewMetadata()
			.withName("reports.openreports.io")
			.endMetadata()
			.withNewSpec()
			.withGroup("openreports.io")
			.withScope("Namespaced")
			.withNewNames()
			.withKind("Report")
			.withListKind("ReportList")
			.withPlural("reports")
			.withSingular("report")
			.withShortNames("reps")
			.endNames()
			.addNewVersion()
			.withName("v1alpha1")
			.withServed(true)
			.withStorage(true)
			.withNewSchema()
			.withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
				.withXKubernetesPreserveUnknownFields(true)
				.build())
			.endSchema()
			.endVersion()
			.endSpec()
			.build();
	}

	/** Creates an object, then sets its status through the status subresource, as controllers do. */
	private static void create(KubernetesClient admin, HasMetadata item) {
		if (item instanceof Node node) {
			Node created = admin.nodes().resource(node).create();
			created.setStatus(node.getStatus());
			admin.nodes().resource(created).updateStatus();
			return;
		}
		GenericKubernetesResource machine = admin.getKubernetesSerialization()
			.convertValue(item, GenericKubernetesResource.class);
		Object status = machine.getAdditionalProperties().get("status");
		GenericKubernetesResource created = admin.genericKubernetesResources(MockCluster.machines())
			.inNamespace(machine.getMetadata().getNamespace())
			.resource(machine)
			.create();
		created.setAdditionalProperty("status", status);
		admin.genericKubernetesResources(MockCluster.machines())
			.inNamespace(machine.getMetadata().getNamespace())
			.resource(created)
			.updateStatus();
	}

	private static CustomResourceDefinition machineCrd() {
		return new CustomResourceDefinitionBuilder().withNewMetadata()
			.withName("machines.cluster.x-k8s.io")
			.endMetadata()
			.withNewSpec()
			.withGroup("cluster.x-k8s.io")
			.withScope("Namespaced")
			.withNewNames()
			.withKind("Machine")
			.withListKind("MachineList")
			.withPlural("machines")
			.withSingular("machine")
			.endNames()
			.addNewVersion()
			.withName("v1beta1")
			.withServed(true)
			.withStorage(true)
			.withNewSubresources()
			.withNewStatus()
			.endStatus()
			.endSubresources()
			.withNewSchema()
			.withOpenAPIV3Schema(new JSONSchemaPropsBuilder().withType("object")
				.withXKubernetesPreserveUnknownFields(true)
				.withProperties(Map.of("spec",
						new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build(),
						"status",
						new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build()))
				.build())
			.endSchema()
			.endVersion()
			.endSpec()
			.build();
	}

	private static KubernetesClient client() {
		return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
	}

	private static List<String> messages(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.map(f -> f.get("message").asString())
			.toList();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class K3sClient {

		@Bean(destroyMethod = "close")
		@Primary
		KubernetesClient k3sClient() {
			return client();
		}

	}

}
