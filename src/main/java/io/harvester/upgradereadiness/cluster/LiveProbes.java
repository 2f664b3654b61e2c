package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what informers cannot watch, on a schedule rather than per request: the kubelets' filesystem usage through
 * the node proxy (opt-in, needs {@code nodes/proxy}), the API server endpoints' certificates and the admission
 * webhooks' serving certificates. Results go into
 * the snapshot; checks never do this I/O themselves.
 */
public final class LiveProbes {

	private static final Logger log = LoggerFactory.getLogger(LiveProbes.class);

	/** Harvester dials every endpoint of default/kubernetes on this port (HV-19). */
	static final int API_SERVER_PORT = 6443;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KubernetesClient client;

	private final Clock clock;

	private final Duration handshakeTimeout;

	public LiveProbes(KubernetesClient client, Clock clock, Duration handshakeTimeout) {
		this.client = client;
		this.clock = clock;
		this.handshakeTimeout = handshakeTimeout;
	}

	/** Reads {@code /stats/summary} and {@code /configz} of every node through the API server's node proxy. */
	public NodeDiskUsage readNodeDiskUsage() {
		List<NodeDiskUsage.Node> nodes = new ArrayList<>();
		List<Node> items = this.client.nodes().list().getItems();
		items.sort(Comparator.comparing(n -> n.getMetadata().getName()));
		for (Node node : items) {
			nodes.add(readNode(node.getMetadata().getName()));
		}
		return new NodeDiskUsage(this.clock.instant(), nodes);
	}

	private NodeDiskUsage.Node readNode(String name) {
		String base = "/api/v1/nodes/" + name + "/proxy/";
		try {
			String summary = this.client.raw(base + "stats/summary");
			if (summary == null) {
				return new NodeDiskUsage.Node(name, null, null, null, "the node proxy answered 404 for stats/summary");
			}
			JsonNode fs = JSON.readTree(summary).path("node").path("fs");
			if (!fs.path("usedBytes").isNumber() || !fs.path("capacityBytes").isNumber()) {
				return new NodeDiskUsage.Node(name, null, null, null,
						"stats/summary has no node.fs.usedBytes and capacityBytes");
			}
			Double threshold = null;
			try {
				String configz = this.client.raw(base + "configz");
				if (configz != null) {
					JsonNode value = JSON.readTree(configz).path("kubeletconfig").path("imageGCHighThresholdPercent");
					threshold = value.isNumber() ? value.asDouble() : null;
				}
			}
			catch (RuntimeException ex) {
				// The threshold falls back to Harvester's default of 85 %.
				log.debug("Cannot read configz of node {}: {}", name, ex.getMessage());
			}
			return new NodeDiskUsage.Node(name, fs.path("usedBytes").asLong(), fs.path("capacityBytes").asLong(),
					threshold, null);
		}
		catch (RuntimeException ex) {
			return new NodeDiskUsage.Node(name, null, null, null, message(ex));
		}
	}

	/**
	 * Dials every ready IPv4 endpoint of the {@code default/kubernetes} service and reads the certificates it
	 * presents (verification skipped: only the dates matter).
	 */
	public ApiServerCertificates readApiServerCertificates() {
		List<EndpointSlice> slices = this.client.discovery()
			.v1()
			.endpointSlices()
			.inNamespace("default")
			.withLabels(Map.of("kubernetes.io/service-name", "kubernetes"))
			.list()
			.getItems();
		List<ApiServerCertificates.Endpoint> endpoints = new ArrayList<>();
		for (EndpointSlice slice : slices) {
			if (!"IPv4".equals(slice.getAddressType()) || slice.getEndpoints() == null) {
				continue;
			}
			int port = httpsPort(slice);
			for (Endpoint endpoint : slice.getEndpoints()) {
				if (endpoint.getConditions() != null && Boolean.FALSE.equals(endpoint.getConditions().getReady())) {
					continue;
				}
				for (String address : endpoint.getAddresses()) {
					endpoints.add(handshake(address, port));
				}
			}
		}
		endpoints.sort(Comparator.comparing(ApiServerCertificates.Endpoint::address));
		return new ApiServerCertificates(this.clock.instant(), endpoints);
	}

	/** The slice's https port when it names one; Harvester itself always dials 6443. */
	private static int httpsPort(EndpointSlice slice) {
		if (slice.getPorts() != null) {
			for (EndpointPort port : slice.getPorts()) {
				if ("https".equals(port.getName()) && port.getPort() != null) {
					return port.getPort();
				}
			}
		}
		return API_SERVER_PORT;
	}

	/**
	 * Dials every webhook of the validating and mutating webhook configurations where the API server would: the
	 * ClusterIP and port of its {@code clientConfig.service} (with the service's DNS name for SNI, as the API server
	 * sends it), or the host and port of its {@code clientConfig.url}. Each place is dialled once.
	 */
	public WebhookCertificates readWebhookCertificates() {
		List<WebhookRef> refs = new ArrayList<>();
		for (ValidatingWebhookConfiguration configuration : this.client.admissionRegistration()
			.v1()
			.validatingWebhookConfigurations()
			.list()
			.getItems()) {
			ResourceRef ref = configurationRef("ValidatingWebhookConfiguration", configuration.getMetadata());
			if (configuration.getWebhooks() != null) {
				configuration.getWebhooks().forEach(w -> refs.add(new WebhookRef(ref, w.getName(), w.getClientConfig())));
			}
		}
		for (MutatingWebhookConfiguration configuration : this.client.admissionRegistration()
			.v1()
			.mutatingWebhookConfigurations()
			.list()
			.getItems()) {
			ResourceRef ref = configurationRef("MutatingWebhookConfiguration", configuration.getMetadata());
			if (configuration.getWebhooks() != null) {
				configuration.getWebhooks().forEach(w -> refs.add(new WebhookRef(ref, w.getName(), w.getClientConfig())));
			}
		}
		// Webhooks served at the same place (Harvester's webhook serves dozens) share one handshake.
		Map<String, WebhookClientConfig> places = new java.util.TreeMap<>();
		Map<String, List<WebhookCertificates.Webhook>> served = new java.util.HashMap<>();
		for (WebhookRef ref : refs) {
			WebhookClientConfig config = ref.config();
			String target;
			if (config != null && config.getService() != null) {
				ServiceReference service = config.getService();
				target = "service " + service.getNamespace() + "/" + service.getName() + ":" + servicePort(service);
			}
			else if (config != null && config.getUrl() != null) {
				target = config.getUrl();
			}
			else {
				continue;
			}
			places.putIfAbsent(target, config);
			served.computeIfAbsent(target, t -> new ArrayList<>())
				.add(new WebhookCertificates.Webhook(ref.configuration(), ref.name()));
		}
		List<WebhookCertificates.Target> targets = new ArrayList<>();
		places.forEach((target, config) -> {
			WebhookCertificates.Target dialled = (config.getService() != null)
					? dialService(target, config.getService()) : dialUrl(target);
			targets.add(new WebhookCertificates.Target(target, dialled.service(), dialled.endpoint(),
					served.get(target)));
		});
		return new WebhookCertificates(this.clock.instant(), targets);
	}

	/** The API server's default for a webhook service without a port. */
	private static int servicePort(ServiceReference service) {
		return (service.getPort() != null) ? service.getPort() : 443;
	}

	private WebhookCertificates.Target dialService(String target, ServiceReference reference) {
		int port = servicePort(reference);
		ResourceRef ref = new ResourceRef("v1", "Service", reference.getNamespace(), reference.getName());
		Service service;
		try {
			service = this.client.services().inNamespace(reference.getNamespace()).withName(reference.getName()).get();
		}
		catch (RuntimeException ex) {
			return unreadable(target, ref, "cannot read the service: " + message(ex));
		}
		if (service == null) {
			return unreadable(target, ref, "the service does not exist");
		}
		String clusterIp = (service.getSpec() != null) ? service.getSpec().getClusterIP() : null;
		if (clusterIp == null || clusterIp.isEmpty() || "None".equals(clusterIp)) {
			return unreadable(target, ref, "the service has no ClusterIP");
		}
		return new WebhookCertificates.Target(target, ref,
				handshake(clusterIp, port, reference.getName() + "." + reference.getNamespace() + ".svc"), List.of());
	}

	private WebhookCertificates.Target dialUrl(String url) {
		java.net.URI uri;
		try {
			uri = java.net.URI.create(url);
		}
		catch (IllegalArgumentException ex) {
			return unreadable(url, null, "not a URL: " + message(ex));
		}
		if (uri.getHost() == null) {
			return unreadable(url, null, "the URL has no host");
		}
		int port = (uri.getPort() > 0) ? uri.getPort() : 443;
		String host = uri.getHost();
		boolean name = !host.startsWith("[") && !host.chars().allMatch(c -> Character.isDigit(c) || c == '.');
		return new WebhookCertificates.Target(url, null, handshake(host, port, name ? host : null), List.of());
	}

	private static WebhookCertificates.Target unreadable(String target, ResourceRef service, String error) {
		return new WebhookCertificates.Target(target, service,
				new ApiServerCertificates.Endpoint(target, null, null, error), List.of());
	}

	private static ResourceRef configurationRef(String kind, io.fabric8.kubernetes.api.model.ObjectMeta metadata) {
		return new ResourceRef("admissionregistration.k8s.io/v1", kind, null,
				(metadata != null && metadata.getName() != null) ? metadata.getName() : "");
	}

	private record WebhookRef(ResourceRef configuration, String name, WebhookClientConfig config) {
	}

	ApiServerCertificates.Endpoint handshake(String host, int port) {
		return handshake(host, port, null);
	}

	/**
	 * A TLS handshake reading the presented chain; {@code serverName}, when given, is sent for SNI (a webhook
	 * server may choose its certificate by it).
	 */
	ApiServerCertificates.Endpoint handshake(String host, int port, String serverName) {
		String address = host + ":" + port;
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new ReadOnlyTrustManager() }, new SecureRandom());
			try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
				if (serverName != null) {
					javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
					parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(serverName)));
					socket.setSSLParameters(parameters);
				}
				int timeout = (int) this.handshakeTimeout.toMillis();
				socket.connect(new InetSocketAddress(host, port), timeout);
				socket.setSoTimeout(timeout);
				socket.startHandshake();
				Certificate[] chain = socket.getSession().getPeerCertificates();
				X509Certificate earliest = null;
				for (Certificate certificate : chain) {
					if (certificate instanceof X509Certificate x509
							&& (earliest == null || x509.getNotAfter().before(earliest.getNotAfter()))) {
						earliest = x509;
					}
				}
				if (earliest == null) {
					return new ApiServerCertificates.Endpoint(address, null, null, "no X.509 certificate presented");
				}
				return new ApiServerCertificates.Endpoint(address, earliest.getNotAfter().toInstant(),
						earliest.getSubjectX500Principal().getName(), null);
			}
		}
		catch (IOException | java.security.GeneralSecurityException ex) {
			return new ApiServerCertificates.Endpoint(address, null, null, message(ex));
		}
	}

	private static String message(Exception ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/** Accepts any chain: the probe reads expiry dates, it authenticates nothing and sends nothing. */
	private static final class ReadOnlyTrustManager implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
