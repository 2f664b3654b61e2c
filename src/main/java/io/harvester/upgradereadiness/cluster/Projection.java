package io.harvester.upgradereadiness.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * What the checks read of one kind of object, and therefore all that a snapshot keeps of it: the fields at the given
 * dotted paths (each with everything below it), the given annotations, and the metadata {@link KubeObject} holds
 * (name, namespace, labels, generation, deletion). Everything else — {@code managedFields}, a Node's image list, a
 * Pod's containers, a Volume's spec — is dropped when the object arrives (at informer time, or when a file is read),
 * so that a big cluster costs the service only what its checks look at.
 * <p>
 * The paths are declared per kind in {@link WatchedKind}. {@link KubeObject} refuses to read a field or annotation
 * that is not kept ({@link IllegalStateException} naming the path), so that a check reading something new fails
 * its tests instead of seeing it absent.
 */
public final class Projection {

	/** The key under which a kind that derives it keeps {@code metadata.creationTimestamp}. */
	public static final String CREATION_TIMESTAMP = "creationTimestamp";

	private final Step root;

	private final Set<String> annotations;

	private final List<String> paths;

	private final Map<String, Derived> derived;

	/** What a reader that projects while it parses must read: the kept paths and every derivation's inputs. */
	private final Step readRoot;

	private Projection(List<String> paths, Set<String> annotations, Map<String, Derived> derived) {
		this.paths = List.copyOf(paths);
		this.annotations = Set.copyOf(annotations);
		this.derived = Map.copyOf(derived);
		this.root = tree(paths);
		for (String key : derived.keySet()) {
			this.root.children.computeIfAbsent(key, n -> new Step()).whole = true;
		}
		List<String> read = new java.util.ArrayList<>(paths);
		derived.values().forEach(d -> read.addAll(d.inputs()));
		this.readRoot = derived.isEmpty() ? this.root : tree(read);
	}

	private static Step tree(List<String> paths) {
		Step root = new Step();
		for (String path : paths) {
			Step step = root;
			String[] names = path.split("\\.");
			for (int i = 0; i < names.length && !step.whole; i++) {
				String name = names[i];
				boolean list = name.endsWith(ITEMS);
				if (list) {
					if (i == names.length - 1) {
						throw new IllegalArgumentException("A list's items keep named fields: " + path);
					}
					name = name.substring(0, name.length() - ITEMS.length());
				}
				step = step.children.computeIfAbsent(name, n -> new Step());
				if (list && !step.whole) {
					if (step.items == null) {
						step.items = new Step();
						step.items.list = String.join(".", java.util.Arrays.asList(names).subList(0, i + 1));
					}
					step = step.items;
				}
			}
			step.whole = true;
			step.children.clear();
			step.items = null;
		}
		return root;
	}

	/** After a path's step, says that the value is a list whose items keep only the fields after it. */
	static final String ITEMS = "[]";

	/**
	 * Keeps the fields at these dotted paths, and no annotation. A step written {@code name[]} is a list whose items
	 * keep only the fields the path names after it ({@code status.conditions[].type}): reading another field of
	 * such an item is refused as reading an unkept field is.
	 */
	public static Projection keep(String... paths) {
		return new Projection(List.of(paths), Set.of(), Map.of());
	}

	/** The same, also keeping the fields at these paths. */
	public Projection keep(List<String> more) {
		List<String> all = new java.util.ArrayList<>(this.paths);
		all.addAll(more);
		return new Projection(all, this.annotations, this.derived);
	}

	/**
	 * The same, also keeping of the conditions list at this path what {@link KubeObject#condition} reads of each
	 * entry: its type, status, reason and message. The times (lastTransitionTime, lastHeartbeatTime, lastProbeTime,
	 * lastUpdateTime) are most of a condition and no check reads them.
	 */
	public Projection conditions(String path) {
		return keep(KubeObject.Condition.FIELDS.stream().map(field -> path + ITEMS + "." + field).toList());
	}

	/** The same, also keeping these annotations. */
	public Projection annotations(String... keys) {
		return new Projection(this.paths, Set.of(keys), this.derived);
	}

	/**
	 * The same, also keeping a value computed from the whole object when it arrives, under a top-level key of its
	 * own (read like a field: {@code object.value(key)}). For what a check needs of bulky fields in a small form:
	 * a Pod's effective resource request instead of its containers. The key must not be a field of the kind; the
	 * derivation must not throw (a value it cannot read is the reader's to report), and its result is kept as
	 * {@link Compact} copies.
	 */
	public Projection derive(String key, List<String> inputs, Derivation derivation) {
		if (key.contains(".")) {
			throw new IllegalArgumentException("A derived key is one step: " + key);
		}
		Map<String, Derived> all = new LinkedHashMap<>(this.derived);
		all.put(key, new Derived(List.copyOf(inputs), derivation));
		return new Projection(this.paths, this.annotations, all);
	}

	/**
	 * Computes a derived value from an object's labels, creation time and the fields of its body it declares as
	 * inputs (the body may hold more); {@code null} keeps nothing.
	 */
	@FunctionalInterface
	public interface Derivation {

		Object derive(Map<String, String> labels, String creationTimestamp, Map<String, Object> body);

	}

	/** A derivation and the body paths it reads. */
	private record Derived(List<String> inputs, Derivation derivation) {
	}

	/** The kept paths, as declared. */
	public List<String> paths() {
		return this.paths;
	}

	public boolean keepsAnnotation(String key) {
		return this.annotations.contains(key);
	}

	/** The annotations kept of these (with their order). */
	Map<String, String> annotations(Map<String, String> all) {
		if (all == null || all.isEmpty() || this.annotations.isEmpty()) {
			return Map.of();
		}
		Map<String, String> kept = new LinkedHashMap<>();
		for (String key : this.annotations) {
			if (all.containsKey(key)) {
				kept.put(key, all.get(key));
			}
		}
		return kept;
	}

	/**
	 * The kept part of an object's body (everything but apiVersion, kind and metadata), as {@link Compact} copies. A
	 * value of the wrong shape on the way to a kept field (a {@code status} that is a string) is kept as it
	 * is, so that the check reading it reports the malformed field as it would on the whole object.
	 */
	Map<String, Object> project(Map<String, Object> body) {
		return project(body, this.root, null);
	}

	/** The same, with the derived values computed from the metadata and the whole body. */
	Map<String, Object> project(ObjectMeta metadata, Map<String, Object> body) {
		return project(metadata.getLabels(), metadata.getCreationTimestamp(), body);
	}

	/**
	 * The kept part of a body with the derived values computed from it; also for a body that a reader projecting
	 * while it parses read along {@link #readRoot()} (kept fields and derivation inputs only).
	 */
	Map<String, Object> project(Map<String, String> labels, String creationTimestamp, Map<String, Object> body) {
		if (this.derived.isEmpty()) {
			return project(body, this.root, null);
		}
		Map<String, String> safeLabels = (labels != null) ? labels : Map.of();
		Map<String, Object> values = new LinkedHashMap<>();
		this.derived.forEach((key, d) -> {
			Object value = d.derivation().derive(safeLabels, creationTimestamp, body);
			if (value != null) {
				values.put(key, value);
			}
		});
		return project(body, this.root, values);
	}

	/** Whether some value is derived: a reader must then read {@link #readRoot()} and finish with project(). */
	boolean derives() {
		return !this.derived.isEmpty();
	}

	private static Map<String, Object> project(Map<?, ?> source, Step step, Map<String, Object> derived) {
		Map<String, Object> kept = new LinkedHashMap<>(Math.max(2, step.children.size() * 2));
		if (derived != null) {
			derived.forEach((key, value) -> kept.put(key, Compact.copy(value)));
		}
		for (Map.Entry<String, Step> child : step.children.entrySet()) {
			if (derived != null && derived.containsKey(child.getKey())) {
				continue;
			}
			Object value = source.get(child.getKey());
			if (value == null && !source.containsKey(child.getKey())) {
				continue;
			}
			kept.put(child.getKey(), project(value, child.getValue()));
		}
		return Compact.map(kept);
	}

	/** The kept part of a value at a step: a list's items projected when the step says, maps step by step. */
	private static Object project(Object value, Step step) {
		if (step.whole) {
			return Compact.copy(value);
		}
		if (step.items != null && value instanceof List<?> list) {
			Object[] items = new Object[list.size()];
			int i = 0;
			for (Object item : list) {
				items[i++] = (item instanceof Map<?, ?> map) ? project(map, step.items, null) : Compact.copy(item);
			}
			return Compact.items(items, step.items.names(), step.items.list);
		}
		if (step.items == null && value instanceof Map<?, ?> map) {
			return project(map, step, null);
		}
		return Compact.copy(value);
	}

	/** Whether reading the value at this path (steps as split from it) sees the whole value: it is kept. */
	boolean covers(String[] steps) {
		Step step = this.root;
		for (String name : steps) {
			if (step.whole) {
				return true;
			}
			step = step.children.get(name);
			if (step == null) {
				return false;
			}
		}
		// A list whose items keep some fields is read whole; its items refuse the others (Compact.items).
		return step.whole || step.items != null;
	}

	@Override
	public String toString() {
		return "keep " + this.paths + (this.annotations.isEmpty() ? "" : " and annotations " + this.annotations)
				+ (this.derived.isEmpty() ? "" : " and derived " + new java.util.TreeSet<>(this.derived.keySet()));
	}

	/** The first step of every kept path: what a reader that projects while it parses follows. */
	Step root() {
		return this.root;
	}

	/** The same, with the derivations' inputs: what such a reader follows when the kind {@link #derives()}. */
	Step readRoot() {
		return this.readRoot;
	}

	/** One step of a kept path; {@code whole} when everything below it is kept. */
	static final class Step {

		private final Map<String, Step> children = new LinkedHashMap<>();

		private boolean whole;

		/** For a list whose items keep only some fields: the step of each item; else {@code null}. */
		private Step items;

		/** For the step of a list's items: the list's path, as declared ({@code status.conditions[]}). */
		private String list;

		/** The step of a list's items, when only some of their fields are kept; else {@code null}. */
		Step items() {
			return this.items;
		}

		/** For the step of a list's items: the list's path, as declared. */
		String list() {
			return this.list;
		}

		/** The names of the fields kept below this step. */
		Set<String> names() {
			return this.children.keySet();
		}

		/** The step below this one for a field name, {@code null} when nothing under that name is kept. */
		Step child(String name) {
			return this.children.get(name);
		}

		/** Whether everything below this step is kept. */
		boolean whole() {
			return this.whole;
		}

	}

}
