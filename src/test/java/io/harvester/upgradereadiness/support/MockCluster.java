package io.harvester.upgradereadiness.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;

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
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
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

	public synchronized void start() {
		this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesCrudDispatcher(), true);
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
		CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
			.withName("machines.cluster.x-k8s.io")
			.endMetadata()
			.withNewSpec()
			.withGroup("cluster.x-k8s.io")
			.withScope("Namespaced")
			.withNewNames()
			.withKind("Machine")
			.withPlural("machines")
			.withSingular("machine")
			.withListKind("MachineList")
			.endNames()
			.addNewVersion()
			.withName("v1beta1")
			.withServed(true)
			.withStorage(true)
			.endVersion()
			.endSpec()
			.build();
		this.admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
	}

	public static ResourceDefinitionContext machines() {
		WatchedKind kind = WatchedKind.MACHINES;
		return new ResourceDefinitionContext.Builder().withGroup(kind.group())
			.withVersion("v1beta1")
			.withKind(kind.kind())
			.withPlural(kind.plural())
			.withNamespaced(true)
			.build();
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
