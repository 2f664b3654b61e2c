package io.harvester.upgradereadiness.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
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

	private final Map<String, Held> items = new ConcurrentHashMap<>();

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
		Held held = new Held(object.getMetadata().getResourceVersion(), view);
		return stub(this.items.put(key, held));
	}

	@Override
	public GenericKubernetesResource remove(String key) {
		return stub(this.items.remove(key));
	}

	@Override
	public Stream<String> keySet() {
		return this.items.keySet().stream();
	}

	@Override
	public Stream<GenericKubernetesResource> values() {
		return this.items.values().stream().map(ViewStore::stub);
	}

	@Override
	public int size() {
		return this.items.size();
	}

	@Override
	public GenericKubernetesResource get(String key) {
		return stub(this.items.get(key));
	}

	/** The views of every object held now. */
	List<KubeObject> views() {
		List<KubeObject> views = new ArrayList<>(this.items.size());
		for (Held held : this.items.values()) {
			views.add(held.view());
		}
		return views;
	}

	/** What the informer gets back for a held object: its apiVersion, kind, name, namespace and resourceVersion. */
	private static GenericKubernetesResource stub(Held held) {
		if (held == null) {
			return null;
		}
		ResourceRef ref = held.view().ref();
		ObjectMeta metadata = new ObjectMeta();
		metadata.setName(ref.name());
		metadata.setNamespace(ref.namespace());
		metadata.setResourceVersion(held.resourceVersion());
		GenericKubernetesResource resource = new GenericKubernetesResource();
		resource.setApiVersion(ref.apiVersion());
		resource.setKind(ref.kind());
		resource.setMetadata(metadata);
		return resource;
	}

	private record Held(String resourceVersion, KubeObject view) {
	}

}
