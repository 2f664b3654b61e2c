package io.harvester.upgradereadiness.cluster;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationListBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationListBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.check.live.ApiServerCertificateExpiryCheck;
import io.harvester.upgradereadiness.check.live.NodeDiskHeadroomCheck;
import io.harvester.upgradereadiness.check.live.WebhookCertificateExpiryCheck;
import io.harvester.upgradereadiness.support.Snapshots;
import io.harvester.upgradereadiness.support.TlsEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probes against the fabric8 mock API server (expectations mode): the node proxy paths, the endpoint slices of
 * default/kubernetes, and a TLS endpoint whose certificate the test makes; then the checks over what they read.
 */
@EnableKubernetesMockClient(https = true)
class LiveProbesTests {

	// Certificates carry whole seconds: a certificate made in this second must not look a second short of 3 days.
	private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

	KubernetesMockServer server;

	KubernetesClient client;

	@TempDir
	Path dir;

	@Test
	void readsTheKubeletStatisticsThroughTheNodeProxyAndTheCheckReportsTheFullNode() {
		this.server.expect()
			.get()
			.withPath("/api/v1/nodes")
			.andReturn(200, new NodeListBuilder()
				.addToItems(new NodeBuilder().withNewMetadata().withName("harv1").endMetadata().build(),
						new NodeBuilder().withNewMetadata().withName("harv2").endMetadata().build())
				.build())
			.always();
		this.server.expect()
			.get()
			.withPath("/api/v1/nodes/harv1/proxy/stats/summary")
			.andReturn(200, "{\"node\":{\"nodeName\":\"harv1\",\"fs\":{\"availableBytes\":10737418240,"
					+ "\"capacityBytes\":107374182400,\"usedBytes\":85899345920}}}")
			.always();
		this.server.expect()
			.get()
			.withPath("/api/v1/nodes/harv1/proxy/configz")
			.andReturn(200, "{\"kubeletconfig\":{\"imageGCHighThresholdPercent\":90}}")
			.always();
		this.server.expect()
			.get()
			.withPath("/api/v1/nodes/harv2/proxy/stats/summary")
			.andReturn(200, "{\"node\":{\"fs\":{\"capacityBytes\":107374182400,\"usedBytes\":21474836480}}}")
			.always();

		NodeDiskUsage usage = probes().readNodeDiskUsage();

		assertThat(usage.nodes()).containsExactly(
				new NodeDiskUsage.Node("harv1", 85899345920L, 107374182400L, 90.0, null),
				new NodeDiskUsage.Node("harv2", 21474836480L, 107374182400L, null, null));
		ClusterSnapshot snapshot = Snapshots
			.live(NOW, Map.of(WatchedKind.NODES, List.of(Snapshots.node("harv1"), Snapshots.node("harv2"))))
			.nodeDiskUsage(ProbeResult.of(usage, NOW))
			.build();
		CheckOutcome outcome = new NodeDiskHeadroomCheck().evaluate(snapshot,
				new CheckContext(NOW, true, CheckOptions.defaults().withOptIn(Set.of("node-disk-headroom"))));
		// (80 GiB + 13 GiB) / 100 GiB = 93 % > 90 % (harv1's own threshold); harv2 is at 33 %.
		assertThat(outcome.findings()).extracting(f -> f.message()).containsExactly("Node \"harv1\" will reach "
				+ "93.00% storage space after loading new images. It's higher than kubelet image garbage collection "
				+ "threshold 90%.");
	}

	@Test
	void readsTheApiServerCertificatesAndTheCheckReportsOneExpiringWithinTheThreshold() throws Exception {
		try (TlsEndpoint endpoint = new TlsEndpoint(this.dir, 3)) {
			expectKubernetesEndpoints(endpoint.port(), true);

			ApiServerCertificates certificates = probes().readApiServerCertificates();

			assertThat(certificates.endpoints()).singleElement().satisfies(e -> {
				assertThat(e.address()).isEqualTo("127.0.0.1:" + endpoint.port());
				assertThat(e.error()).isNull();
				assertThat(e.subject()).isEqualTo("CN=kube-apiserver");
				assertThat(Duration.between(NOW, e.earliestNotAfter()).toHours()).isBetween(70L, 73L);
			});
			ClusterSnapshot snapshot = Snapshots.live(NOW, Map.of())
				.apiServerCertificates(ProbeResult.of(certificates, NOW))
				.build();
			CheckOutcome defaults = new ApiServerCertificateExpiryCheck().evaluate(snapshot,
					new CheckContext(NOW, true, CheckOptions.defaults()));
			assertThat(defaults.findings()).singleElement().satisfies(f -> {
				assertThat(f.message()).startsWith("earliest expiring cert for default/kubernetes ClusterIP is ")
					.endsWith(", it will expire in 3 days. Please rotate RKE2 certificates.");
				assertThat(f.resources()).extracting(Object::toString).containsExactly("Service default/kubernetes");
				assertThat(f.details()).containsEntry("minCertsExpirationInDay", 7)
					.containsEntry("endpoint", "127.0.0.1:" + endpoint.port());
			});
			CheckOutcome lenient = new ApiServerCertificateExpiryCheck().evaluate(snapshot,
					new CheckContext(NOW, true, CheckOptions.defaults()
						.withMinCertsExpirationInDay(new Switch<>(1, "request parameter minCertsExpirationInDay"))));
			assertThat(lenient.findings()).isEmpty();
			assertThat(lenient.isSkipped()).isFalse();
		}
	}

	@Test
	void skipsEndpointsNotReadyAndReportsEndpointsThatDoNotAnswer() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		expectKubernetesEndpoints(closedPort, true);

		ApiServerCertificates certificates = probes().readApiServerCertificates();

		assertThat(certificates.endpoints()).singleElement()
			.satisfies(e -> assertThat(e.error()).isNotBlank());
		CheckOutcome outcome = new ApiServerCertificateExpiryCheck().evaluate(
				Snapshots.live(NOW, Map.of()).apiServerCertificates(ProbeResult.of(certificates, NOW)).build(),
				new CheckContext(NOW, true, CheckOptions.defaults()));
		assertThat(outcome.skipReason()).startsWith("no endpoint of default/kubernetes answered: 127.0.0.1:" + closedPort);
	}

	@Test
	void readsEveryWebhooksCertificateThroughItsServiceOrUrlAndTheCheckReportsTheOneExpiringSoon() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (TlsEndpoint cdi = new TlsEndpoint(this.dir, 2, "CN=cdi-apiserver");
				TlsEndpoint harvester = new TlsEndpoint(this.dir, 365, "CN=harvester-webhook")) {
			this.server.expect()
				.get()
				.withPath("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations")
				.andReturn(200, new ValidatingWebhookConfigurationListBuilder()
					.addToItems(new ValidatingWebhookConfigurationBuilder().withNewMetadata()
						.withName("harvester-validator")
						.endMetadata()
						.addNewWebhook()
						.withName("validator.harvesterhci.io")
						.withNewClientConfig()
						.withNewService()
						.withNamespace("harvester-system")
						.withName("harvester-webhook")
						.withPort(harvester.port())
						.withPath("/v1/webhook/validation")
						.endService()
						.endClientConfig()
						.endWebhook()
						.build(), new ValidatingWebhookConfigurationBuilder().withNewMetadata()
							.withName("cdi-api-datavolume-validate")
							.endMetadata()
							.addNewWebhook()
							.withName("datavolume-validate.cdi.kubevirt.io")
							.withNewClientConfig()
							.withNewService()
							.withNamespace("cdi")
							.withName("cdi-api")
							.withPort(cdi.port())
							.withPath("/datavolume-validate")
							.endService()
							.endClientConfig()
							.endWebhook()
							.build())
					.build())
				.always();
			this.server.expect()
				.get()
				.withPath("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations")
				.andReturn(200, new MutatingWebhookConfigurationListBuilder()
					.addToItems(new MutatingWebhookConfigurationBuilder().withNewMetadata()
						.withName("cdi-api-datavolume-mutate")
						.endMetadata()
						.addNewWebhook()
						.withName("datavolume-mutate.cdi.kubevirt.io")
						.withNewClientConfig()
						.withNewService()
						.withNamespace("cdi")
						.withName("cdi-api")
						.withPort(cdi.port())
						.withPath("/datavolume-mutate")
						.endService()
						.endClientConfig()
						.endWebhook()
						.build(), new MutatingWebhookConfigurationBuilder().withNewMetadata()
							.withName("rancher.cattle.io")
							.endMetadata()
							.addNewWebhook()
							.withName("rancher.cattle.io.secrets")
							.withNewClientConfig()
							.withUrl("https://127.0.0.1:" + closedPort + "/v1/webhook/mutation/secrets")
							.endClientConfig()
							.endWebhook()
							.build())
					.build())
				.always();
			expectService("cdi", "cdi-api", cdi.port());
			expectService("harvester-system", "harvester-webhook", harvester.port());

			WebhookCertificates certificates = probes().readWebhookCertificates();

			String cdiTarget = "service cdi/cdi-api:" + cdi.port();
			String url = "https://127.0.0.1:" + closedPort + "/v1/webhook/mutation/secrets";
			assertThat(certificates.targets()).extracting(WebhookCertificates.Target::target)
				.containsExactly(url, cdiTarget, "service harvester-system/harvester-webhook:" + harvester.port());
			assertThat(certificates.targets().get(0).endpoint().error()).isNotBlank();
			assertThat(certificates.targets().get(1)).satisfies(t -> {
				assertThat(t.service()).hasToString("Service cdi/cdi-api");
				assertThat(t.endpoint().address()).isEqualTo("127.0.0.1:" + cdi.port());
				assertThat(t.endpoint().subject()).isEqualTo("CN=cdi-apiserver");
				assertThat(t.webhooks()).extracting(WebhookCertificates.Webhook::name)
					.containsExactly("datavolume-validate.cdi.kubevirt.io", "datavolume-mutate.cdi.kubevirt.io");
			});
			assertThat(certificates.targets().get(2).endpoint().subject()).isEqualTo("CN=harvester-webhook");

			ClusterSnapshot snapshot = Snapshots.live(NOW, Map.of())
				.webhookCertificates(ProbeResult.of(certificates, NOW))
				.build();
			CheckOutcome outcome = new WebhookCertificateExpiryCheck().evaluate(snapshot,
					new CheckContext(NOW, true, CheckOptions.defaults()));
			assertThat(outcome.findings()).singleElement().satisfies(f -> {
				assertThat(f.rule()).isEqualTo("webhook-certificate-expires-soon");
				assertThat(f.message()).startsWith("the serving certificate of webhook "
						+ "datavolume-validate.cdi.kubevirt.io, datavolume-mutate.cdi.kubevirt.io at " + cdiTarget
						+ " expires on ")
					.endsWith(", in 2 days");
				assertThat(f.resources()).extracting(Object::toString)
					.containsExactly("Service cdi/cdi-api", "ValidatingWebhookConfiguration cdi-api-datavolume-validate",
							"MutatingWebhookConfiguration cdi-api-datavolume-mutate");
				assertThat(f.details()).containsEntry("minCertsExpirationInDay", 7)
					.containsEntry("subject", "CN=cdi-apiserver");
				assertThat((List<?>) f.details().get("unanswered")).singleElement()
					.asString()
					.startsWith(url + " (");
			});
			CheckOutcome lenient = new WebhookCertificateExpiryCheck().evaluate(snapshot,
					new CheckContext(NOW, true, CheckOptions.defaults()
						.withMinCertsExpirationInDay(new Switch<>(1, "request parameter minCertsExpirationInDay"))));
			assertThat(lenient.findings()).isEmpty();
			assertThat(lenient.isSkipped()).isFalse();
		}
	}

	@Test
	void theWebhookCheckIsUnknownWhenNoWebhookAnswersAndWhenTheServiceIsGone() {
		this.server.expect()
			.get()
			.withPath("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations")
			.andReturn(200, new ValidatingWebhookConfigurationListBuilder()
				.addToItems(new ValidatingWebhookConfigurationBuilder().withNewMetadata()
					.withName("longhorn-webhook-validator")
					.endMetadata()
					.addNewWebhook()
					.withName("validator.longhorn.io")
					.withNewClientConfig()
					.withNewService()
					.withNamespace("longhorn-system")
					.withName("longhorn-admission-webhook")
					.withPort(9502)
					.endService()
					.endClientConfig()
					.endWebhook()
					.build())
				.build())
			.always();
		this.server.expect()
			.get()
			.withPath("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations")
			.andReturn(200, new MutatingWebhookConfigurationListBuilder().build())
			.always();

		WebhookCertificates certificates = probes().readWebhookCertificates();

		assertThat(certificates.targets()).singleElement()
			.satisfies(t -> assertThat(t.endpoint().error()).isEqualTo("the service does not exist"));
		CheckOutcome outcome = new WebhookCertificateExpiryCheck().evaluate(
				Snapshots.live(NOW, Map.of()).webhookCertificates(ProbeResult.of(certificates, NOW)).build(),
				new CheckContext(NOW, true, CheckOptions.defaults()));
		assertThat(outcome.skipReason()).isEqualTo("no admission webhook answered: service "
				+ "longhorn-system/longhorn-admission-webhook:9502 (the service does not exist)");
	}

	private void expectService(String namespace, String name, int port) {
		this.server.expect()
			.get()
			.withPath("/api/v1/namespaces/" + namespace + "/services/" + name)
			.andReturn(200, new ServiceBuilder().withNewMetadata()
				.withName(name)
				.withNamespace(namespace)
				.endMetadata()
				.withNewSpec()
				.withClusterIP("127.0.0.1")
				.addNewPort()
				.withName("https")
				.withPort(port)
				.withNewTargetPort(port)
				.endPort()
				.endSpec()
				.build())
			.always();
	}

	private void expectKubernetesEndpoints(int port, boolean ready) {
		this.server.expect()
			.get()
			.withPath("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes")
			.andReturn(200, new EndpointSliceListBuilder().addToItems(new EndpointSliceBuilder().withNewMetadata()
				.withName("kubernetes")
				.withNamespace("default")
				.addToLabels("kubernetes.io/service-name", "kubernetes")
				.endMetadata()
				.withAddressType("IPv4")
				.addNewEndpoint()
				.withAddresses(TlsEndpoint.loopback())
				.withNewConditions()
				.withReady(ready)
				.endConditions()
				.endEndpoint()
				.addNewEndpoint()
				.withAddresses("127.0.0.2")
				.withNewConditions()
				.withReady(false)
				.endConditions()
				.endEndpoint()
				.addNewPort()
				.withName("https")
				.withPort(port)
				.withProtocol("TCP")
				.endPort()
				.build()).build())
			.always();
	}

	private LiveProbes probes() {
		return new LiveProbes(this.client, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(3));
	}

}
