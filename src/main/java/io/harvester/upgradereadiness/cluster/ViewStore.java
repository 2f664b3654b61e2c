package io.harvester.upgradereadiness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

/**
 * An informer's store that keeps, of each object it is given, only the checks' {@link KubeObject} view (see
 * {@link Projection}) and its resourceVersion: the object as listed or watched — with its managedFields, a Pod's
 * containers, a Node's images — is garbage as soon as it is stored. Snapshots are assembled from the views
 * directly, with no conversion and no second cache.
 * <p>
 * The informer itself only needs an object's identity and resourceVersion back from its store (to tell updates
 * from relisted unchanged objects, and to name deleted ones to its handlers, which here only count events), so
 * that is all the objects it gets back carry.
 */
final class ViewStore implements ItemStore<GenericKubernetesResource> {

	private final WatchedKind kind;

	/**
	 * The views by namespace ({@code ""} for cluster-scoped objects), then by name. Keyed by the name the view
	 * holds anyway: no key string per object (the informer's {@code namespace/name} keys are made when asked for).
	 */
	private final Map<String, Map<String, Held>> items = new ConcurrentHashMap<>();

	private final AtomicInteger size = new AtomicInteger();

	ViewStore(WatchedKind kind) {
		this.kind = kind;
	}

	@Override
	public String getKey(GenericKubernetesResource object) {
		return Cache.metaNamespaceKeyFunc(object);
	}

	@Override
	public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
		// A listed object arrives as its view already (ProjectingLister); a watched one whole, reduced here.
		KubeObject view = (object instanceof ProjectingLister.Listed listed) ? listed.view()
				: KubeObject.of(this.kind, object);
		Held held = Held.of(object.getMetadata().getResourceVersion(), view);
		String namespace = (view.namespace() != null) ? view.namespace() : "";
		Held old = this.items.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>()).put(view.name(), held);
		if (old == null) {
			this.size.incrementAndGet();
		}
		return stub(old);
	}

	@Override
	public GenericKubernetesResource remove(String key) {
		int slash = key.indexOf('/');
		Map<String, Held> namespace = this.items.get((slash < 0) ? "" : key.substring(0, slash));
		Held old = (namespace != null) ? namespace.remove(key.substring(slash + 1)) : null;
		if (old != null) {
			this.size.decrementAndGet();
		}
		return stub(old);
	}

	@Override
	public Stream<String> keySet() {
		return this.items.entrySet()
			.stream()
			.flatMap((namespace) -> namespace.getValue()
				.keySet()
				.stream()
				.map((name) -> namespace.getKey().isEmpty() ? name : namespace.getKey() + "/" + name));
	}

	@Override
	public Stream<GenericKubernetesResource> values() {
		return this.items.values().stream().flatMap((names) -> names.values().stream()).map(ViewStore::stub);
	}

	@Override
	public int size() {
		return this.size.get();
	}

	@Override
	public GenericKubernetesResource get(String key) {
		int slash = key.indexOf('/');
		Map<String, Held> namespace = this.items.get((slash < 0) ? "" : key.substring(0, slash));
		return stub((namespace != null) ? namespace.get(key.substring(slash + 1)) : null);
	}

	/** The views of every object held now. */
	List<KubeObject> views() {
		List<KubeObject> views = new ArrayList<>(size());
		for (Map<String, Held> names : this.items.values()) {
			for (Held held : names.values()) {
				views.add(held.view());
			}
		}
		return views;
	}

	/** What the informer gets back for a held object: its identity and resourceVersion, as a listed one comes. */
	private static GenericKubernetesResource stub(Held held) {
		return (held != null) ? new ProjectingLister.Listed(held.view(), held.resourceVersion()) : null;
	}

	/**
	 * A view and its resourceVersion. The API server's resourceVersions are opaque strings, but etcd's are
	 * decimal numbers: those are held as a number (one string fewer per object), any other as it is.
	 */
	private record Held(long number, String text, KubeObject view) {

		static Held of(String resourceVersion, KubeObject view) {
			long number = decimal(resourceVersion);
			return new Held(number, (number < 0) ? resourceVersion : null, view);
		}

		String resourceVersion() {
			return (this.number >= 0) ? Long.toString(this.number) : this.text;
		}

		/** The number a resourceVersion writes in plain decimal (no sign, no leading zero), else -1. */
		private static long decimal(String text) {
			if (text == null || text.isEmpty() || text.length() > 18 || (text.charAt(0) == '0' && text.length() > 1)) {
				return -1;
			}
			long value = 0;
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c < '0' || c > '9') {
					return -1;
				}
				value = value * 10 + (c - '0');
			}
			return value;
		}

	}

}
