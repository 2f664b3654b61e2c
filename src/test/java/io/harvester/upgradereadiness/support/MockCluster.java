package io.harvester.upgradereadiness.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * A fabric8 CRUD mock API server on a fixed loopback port, which can be started after the service (to test
 * start-up without an API server) and stopped and started again.
 */
public final class MockCluster implements AutoCloseable {

	private final int port;

	private KubernetesMockServer server;

	private KubernetesClient admin;

	public MockCluster() {
		this.port = freePort();
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "https://localhost:" + this.port + "/";
	}

	/** A client for the service: no retries with backoff, short timeouts, like the production one. */
	public KubernetesClient serviceClient() {
		Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url())
			.withTrustCerts(true)
			.withRequestRetryBackoffLimit(0)
			.withConnectionTimeout(1_000)
			.withRequestTimeout(5_000)
			.withWatchReconnectInterval(200)
			.build();
		return new KubernetesClientBuilder().withConfig(config).build();
	}

	/**
	 * Starts a server whose expectations (see {@link #server()}) answer first and whose CRUD store answers the rest,
	 * with the same state semantics as a fresh API server (an empty store).
	 */
	public synchronized void start() {
		Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
		this.server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
				new KubernetesMixedDispatcher(responses), true);
		this.server.init(InetAddress.getLoopbackAddress(), this.port);
		this.admin = this.server.createClient();
	}

	public synchronized void stop() {
		if (this.admin != null) {
			this.admin.close();
			this.admin = null;
		}
		if (this.server != null) {
			this.server.destroy();
			this.server = null;
		}
	}

	public KubernetesMockServer server() {
		return this.server;
	}

	public KubernetesClient admin() {
		return this.admin;
	}

	/** Takes every request recorded so far: {@code GET /api/v1/nodes?watch=true}, ... */
	public List<String> takeRequests() {
		List<String> requests = new java.util.ArrayList<>();
		try {
			io.fabric8.mockwebserver.http.RecordedRequest request;
			while ((request = this.server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
				requests.add(request.getMethod() + " " + request.getPath());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return requests;
	}

	/** Installs the Cluster API Machine CRD (without a status subresource, so status is stored as given). */
	public void installMachineCrd() {
		installCrd(WatchedKind.MACHINES);
	}

	/** Installs the CRD of a custom kind in its preferred version, without a status subresource. */
	public void installCrd(WatchedKind kind) {
		installCrd(kind.group(), kind.versions().get(0), kind.kind(), kind.plural(), kind.namespaced());
	}

	/** Installs the OpenReports Report CRD (openreports.io/v1alpha1, namespaced, no subresources). */
	public void installOpenReportsCrd() {
		installCrd("openreports.io", "v1alpha1", "Report", "reports", true);
	}

	/** Installs a CRD serving one version, without a status subresource. */
	public void installCrd(String group, String version, String kind, String plural, boolean namespaced) {
		CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
			.withName(plural + "." + group)
			.endMetadata()
			.withNewSpec()
			.withGroup(group)
			.withScope(namespaced ? "Namespaced" : "Cluster")
			.withNewNames()
			.withKind(kind)
			.withPlural(plural)
			.withSingular(kind.toLowerCase(java.util.Locale.ROOT))
			.withListKind(kind + "List")
			.endNames()
			.addNewVersion()
			.withName(version)
			.withServed(true)
			.withStorage(true)
			.endVersion()
			.endSpec()
			.build();
		this.admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
	}

	public static ResourceDefinitionContext context(WatchedKind kind) {
		return new ResourceDefinitionContext.Builder().withGroup(kind.group())
			.withVersion(kind.versions().get(0))
			.withKind(kind.kind())
			.withPlural(kind.plural())
			.withNamespaced(kind.namespaced())
			.build();
	}

	public static ResourceDefinitionContext machines() {
		return context(WatchedKind.MACHINES);
	}

	/** Creates every object of a kubectl-style YAML file on the classpath (Nodes and Machines). */
	public void apply(String classpathResource) {
		try (InputStream in = MockCluster.class.getClassLoader().getResourceAsStream(classpathResource)) {
			if (in == null) {
				throw new IllegalArgumentException("No resource " + classpathResource);
			}
			List<HasMetadata> items = this.admin.load(in).items();
			for (HasMetadata item : items) {
				create(item);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public void create(HasMetadata item) {
		if (item instanceof Node node) {
			this.admin.nodes().resource(node).create();
		}
		else {
			GenericKubernetesResource resource = this.admin.getKubernetesSerialization()
				.convertValue(item, GenericKubernetesResource.class);
			this.admin.genericKubernetesResources(machines())
				.inNamespace(resource.getMetadata().getNamespace())
				.resource(resource)
				.create();
		}
	}

	@Override
	public void close() {
		stop();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
