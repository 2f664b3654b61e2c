package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager;
import io.fabric8.kubernetes.client.dsl.internal.BaseOperation;
import io.fabric8.kubernetes.client.dsl.internal.OperationSupport;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.impl.ListerWatcher;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * An informer's lists and watches of one kind in every namespace, whose lists are read straight into the checks'
 * views. fabric8's own list reads every page into full {@link GenericKubernetesResource}s (maps of maps, with
 * managedFields) that our {@link ViewStore} then reduces: for a 5 000-node cluster that was most of the sync's time
 * and all of its garbage. Here each page is parsed as a token stream by {@link ObjectStreamReader#listPage}, and the
 * informer is handed, per object, only its identity, its resourceVersion and its view ({@link Listed}).
 * <p>
 * Everything else is fabric8's: the informer (paging through {@code continue}, relisting on a lost watch, the
 * store's add/update/delete bookkeeping), the watch, the client's authentication, TLS and timeouts. A watch event is
 * one object, deserialised whole by fabric8 and reduced by the store as before.
 */
final class ProjectingLister implements ListerWatcher<GenericKubernetesResource, GenericKubernetesResourceList> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final WatchedKind kind;

	private final String apiVersion;

	private final BaseOperation<GenericKubernetesResource, GenericKubernetesResourceList, ?> operation;

	private final KubernetesClient client;

	private final long limit;

	/** Where pages are parsed: never on the HTTP client's I/O threads, which feed the stream being read. */
	private final Executor parsing;

	ProjectingLister(KubernetesClient client, WatchedKind kind, ResourceDefinitionContext context, long limit,
			Executor parsing) {
		this.client = client;
		this.kind = kind;
		this.apiVersion = kind.apiVersion(context.getVersion());
		// The client's operation for the kind: its URL, list options, watch and config are fabric8's.
		this.operation = (BaseOperation<GenericKubernetesResource, GenericKubernetesResourceList, ?>) client
			.genericKubernetesResources(context)
			.inAnyNamespace();
		this.limit = limit;
		this.parsing = parsing;
	}

	@Override
	public CompletableFuture<GenericKubernetesResourceList> submitList(ListOptions options) {
		HttpRequest request;
		try {
			URL url = this.operation.appendListOptionParams(this.operation.getNamespacedUrl(), options);
			request = this.client.getHttpClient()
				.newHttpRequestBuilder()
				.url(url)
				.header("Accept", "application/json")
				.timeout(getConfig().getRequestTimeout(), TimeUnit.MILLISECONDS)
				.build();
		}
		catch (MalformedURLException ex) {
			return CompletableFuture.failedFuture(new KubernetesClientException("Cannot list " + this.kind.resource()
					+ ": " + ex.getMessage(), ex));
		}
		HttpClient http = this.client.getHttpClient();
		BodyStream body = new BodyStream();
		return http.consumeBytes(request, body).thenApplyAsync((response) -> {
			body.start(response);
			return read(request, response.code(), body);
		}, this.parsing);
	}

	private GenericKubernetesResourceList read(HttpRequest request, int code, BodyStream body) {
		if (!HttpResponse.isSuccessful(code)) {
			// The API server's Status (403, 410 Gone for an expired continue token...) as fabric8 reports it, so
			// that the informer and our exception handler see what they see of fabric8's own lists.
			throw OperationSupport.requestFailure(request, status(code, body));
		}
		ObjectStreamReader.ListPage page;
		try (body; JsonParser parser = JSON.createParser(body)) {
			page = ObjectStreamReader.listPage(parser, this.kind, this.apiVersion);
		}
		catch (JacksonException | IllegalStateException ex) {
			throw new KubernetesClientException("Cannot read the list of " + this.kind.resource() + " from "
					+ request.uri() + ": " + ex.getMessage(), ex);
		}
		List<GenericKubernetesResource> items = new ArrayList<>(page.items().size());
		for (ObjectStreamReader.Listed item : page.items()) {
			items.add(new Listed(item.view(), item.resourceVersion()));
		}
		GenericKubernetesResourceList list = new GenericKubernetesResourceList();
		ListMeta metadata = new ListMeta();
		metadata.setResourceVersion(page.resourceVersion());
		metadata.setContinue(page.continueToken());
		list.setMetadata(metadata);
		list.setItems(items);
		return list;
	}

	/** The Status an API server answers an error with; a body that is none is the message. */
	private Status status(int code, BodyStream body) {
		String text;
		try (body) {
			text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			text = "";
		}
		try {
			Status status = this.client.getKubernetesSerialization().unmarshal(text, Status.class);
			if (status != null && status.getCode() != null) {
				return status;
			}
		}
		catch (RuntimeException ex) {
			// not a Status: the text is the message
		}
		return OperationSupport.createStatus(code, text.isBlank() ? "HTTP " + code : text.strip());
	}

	@Override
	public CompletableFuture<AbstractWatchManager<GenericKubernetesResource>> submitWatch(ListOptions options,
			Watcher<GenericKubernetesResource> watcher) {
		return this.operation.submitWatch(options, watcher);
	}

	@Override
	public Long getLimit() {
		return this.limit;
	}

	@Override
	public int getWatchReconnectInterval() {
		return this.operation.getWatchReconnectInterval();
	}

	@Override
	public String getApiEndpointPath() {
		return this.operation.getApiEndpointPath();
	}

	@Override
	public Config getConfig() {
		return this.operation.getConfig();
	}

	/**
	 * What the informer is handed of an object, listed or given back by its store: the identity and resourceVersion
	 * it keys and compares by, and the view itself; no body.
	 */
	static final class Listed extends GenericKubernetesResource {

		private final transient KubeObject view;

		Listed(KubeObject view, String resourceVersion) {
			this.view = view;
			ResourceRef ref = view.ref();
			ObjectMeta metadata = new ObjectMeta();
			metadata.setName(ref.name());
			metadata.setNamespace(ref.namespace());
			metadata.setResourceVersion(resourceVersion);
			setApiVersion(ref.apiVersion());
			setKind(ref.kind());
			setMetadata(metadata);
		}

		KubeObject view() {
			return this.view;
		}

	}

}
