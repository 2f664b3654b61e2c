package io.harvester.upgradereadiness.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * A read-only view of one Kubernetes object, as the checks read it.
 * <p>
 * Only what checks read is kept: for a watched kind, its {@link WatchedKind#projection() projection} (the fields and
 * annotations its checks use), the name, namespace, labels, generation and deletion; never {@code managedFields}
 * or owner references. Reading a field or annotation that is not kept is a programming error and throws
 * {@link IllegalStateException}. Fields are read leniently: a missing field is {@link Optional#empty()}, the string
 * {@code "null"} that support-bundle-kit writes for empty values counts as empty, numbers written as strings
 * ({@code "2.0E9"}) are accepted, and a field of the wrong shape throws {@link MalformedFieldException} naming the
 * object and the field.
 */
public final class KubeObject {

	/** What rancher/support-bundle-kit writes in place of an empty string. */
	private static final String BUNDLE_NULL = "null";

	private static final int MAX_KNOWN_PATHS = 1024;

	private static final Map<String, String[]> STEPS = new java.util.concurrent.ConcurrentHashMap<>();

	private final ResourceRef ref;

	private final Map<String, String> labels;

	private final Map<String, String> annotations;

	private final String deletionTimestamp;

	private final Long generation;

	private final Map<String, Object> body;

	/** What is kept of the object; {@code null} when it is not of a watched kind and everything is. */
	private final Projection projection;

	private KubeObject(ResourceRef ref, Map<String, String> labels, Map<String, String> annotations,
			String deletionTimestamp, Long generation, Map<String, Object> body, Projection projection) {
		this.ref = ref;
		this.labels = labels;
		this.annotations = annotations;
		this.deletionTimestamp = deletionTimestamp;
		this.generation = generation;
		this.body = body;
		this.projection = projection;
	}

	/**
	 * Keeps what the checks read of an object of a watched kind (its {@link WatchedKind#projection()}); of any other
	 * object, everything but bulk metadata such as {@code managedFields}.
	 */
	public static KubeObject of(GenericKubernetesResource resource) {
		for (WatchedKind kind : WatchedKind.values()) {
			if (kind.matches(resource.getApiVersion(), resource.getKind())) {
				return of(kind, resource);
			}
		}
		return of(null, resource);
	}

	/** Keeps what the checks read of an object of this kind: its {@link WatchedKind#projection()}. */
	public static KubeObject of(WatchedKind kind, GenericKubernetesResource resource) {
		ObjectMeta meta = (resource.getMetadata() != null) ? resource.getMetadata() : new ObjectMeta();
		// apiVersion, kind and namespace repeat across thousands of objects: one string each.
		ResourceRef ref = new ResourceRef(intern(resource.getApiVersion()), intern(resource.getKind()),
				intern(emptyToNull(meta.getNamespace())), (meta.getName() != null) ? meta.getName() : "");
		Projection projection = (kind != null) ? kind.projection() : null;
		Map<String, Object> body = (projection != null) ? projection.project(meta, resource.getAdditionalProperties())
				: Compact.map(resource.getAdditionalProperties());
		Map<String, String> annotations = (projection != null) ? projection.annotations(meta.getAnnotations())
				: meta.getAnnotations();
		return new KubeObject(ref, cleanStrings(meta.getLabels()), cleanStrings(annotations),
				emptyToNull(meta.getDeletionTimestamp()), meta.getGeneration(), body, projection);
	}

	/**
	 * A view built by a reader that projects while it parses ({@link ObjectStreamReader}): the body already holds
	 * only the kind's kept fields, as {@link Compact} values, and the annotations only the kept ones.
	 */
	static KubeObject ofParsed(WatchedKind kind, String apiVersion, String kindName, String namespace, String name,
			Map<String, String> labels, Map<String, String> annotations, String deletionTimestamp, Long generation,
			Map<String, Object> body) {
		ResourceRef ref = new ResourceRef(intern(apiVersion), intern(kindName), intern(emptyToNull(namespace)),
				(name != null) ? name : "");
		return new KubeObject(ref, cleanStrings(labels), cleanStrings(annotations), emptyToNull(deletionTimestamp),
				generation, body, kind.projection());
	}

	public ResourceRef ref() {
		return this.ref;
	}

	public String name() {
		return this.ref.name();
	}

	/** The namespace, {@code null} for cluster-scoped objects. */
	public String namespace() {
		return this.ref.namespace();
	}

	public String kind() {
		return this.ref.kind();
	}

	public String apiVersion() {
		return this.ref.apiVersion();
	}

	public Map<String, String> labels() {
		return this.labels;
	}

	public Map<String, String> annotations() {
		return this.annotations;
	}

	public Optional<String> label(String key) {
		return Optional.ofNullable(this.labels.get(key)).filter(v -> !v.isEmpty());
	}

	public Optional<String> annotation(String key) {
		if (this.projection != null && !this.projection.keepsAnnotation(key)) {
			throw new IllegalStateException("Annotation " + key + " of " + this.ref.kind() + " is not kept: add it to "
					+ "the projection of its WatchedKind (" + this.projection + ")");
		}
		return Optional.ofNullable(this.annotations.get(key)).filter(v -> !v.isEmpty());
	}

	public boolean isBeingDeleted() {
		return this.deletionTimestamp != null;
	}

	public Optional<Long> generation() {
		return Optional.ofNullable(this.generation);
	}

	/** The raw value at a dotted path such as {@code status.phase}; empty when any step is absent. */
	public Optional<Object> value(String path) {
		String[] steps = steps(path);
		if (this.projection != null && !this.projection.covers(steps)) {
			throw new IllegalStateException("Field " + path + " of " + this.ref.kind() + " is not kept: add it to the "
					+ "projection of its WatchedKind (" + this.projection + ")");
		}
		Object current = this.body;
		for (int i = 0; i < steps.length; i++) {
			if (current == null) {
				return Optional.empty();
			}
			if (!(current instanceof Map<?, ?> map)) {
				throw new MalformedFieldException(this.ref, String.join(".", List.of(steps).subList(0, i)),
						"an object", current);
			}
			current = map.get(steps[i]);
		}
		if (current instanceof String s && (s.isEmpty() || BUNDLE_NULL.equals(s))) {
			return Optional.empty();
		}
		return Optional.ofNullable(current);
	}

	/**
	 * A path's steps. Checks read the same few dozen paths of every object, so the splits are kept: reading a field
	 * allocates nothing but its Optional (at 10 000 nodes, checks read millions of fields per evaluation).
	 */
	private static String[] steps(String path) {
		String[] steps = STEPS.get(path);
		if (steps == null) {
			steps = path.split("\\.");
			if (STEPS.size() < MAX_KNOWN_PATHS) {
				STEPS.put(path, steps);
			}
		}
		return steps;
	}

	/** A string field; numbers and booleans are refused, as a check cannot tell what they mean. */
	public Optional<String> string(String path) {
		return value(path).map(v -> {
			if (v instanceof String s) {
				return s;
			}
			throw new MalformedFieldException(this.ref, path, "a string", v);
		});
	}

	/** A boolean field; the strings {@code "true"} and {@code "false"} are accepted (any case). */
	public Optional<Boolean> bool(String path) {
		return value(path).map(v -> {
			if (v instanceof Boolean b) {
				return b;
			}
			if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
				return Boolean.parseBoolean(s);
			}
			throw new MalformedFieldException(this.ref, path, "a boolean", v);
		});
	}

	/** An integer field; numbers written as strings ({@code "3"}, {@code "2.0E9"}) are accepted. */
	public Optional<Long> integer(String path) {
		return value(path).map(v -> {
			if (v instanceof Number n) {
				return n.longValue();
			}
			if (v instanceof String s) {
				try {
					return new java.math.BigDecimal(s.trim()).longValueExact();
				}
				catch (NumberFormatException | ArithmeticException ex) {
					// fall through to the error below
				}
			}
			throw new MalformedFieldException(this.ref, path, "an integer", v);
		});
	}

	/** An object field as an unmodifiable map; absent is an empty map. */
	public Map<String, Object> map(String path) {
		return value(path).map(v -> {
			if (v instanceof Map<?, ?> m) {
				return Collections.unmodifiableMap(stringKeys(m));
			}
			throw new MalformedFieldException(this.ref, path, "an object", v);
		}).orElse(Map.of());
	}

	/** A list of objects (such as {@code status.conditions}); absent is an empty list. */
	public List<Map<String, Object>> objects(String path) {
		return value(path).map(v -> {
			if (!(v instanceof List<?> list)) {
				throw new MalformedFieldException(this.ref, path, "a list", v);
			}
			List<Map<String, Object>> result = new ArrayList<>(list.size());
			for (Object item : list) {
				if (!(item instanceof Map<?, ?> m)) {
					throw new MalformedFieldException(this.ref, path + "[]", "an object", item);
				}
				result.add(Collections.unmodifiableMap(stringKeys(m)));
			}
			return Collections.unmodifiableList(result);
		}).orElse(List.of());
	}

	/**
	 * The entry of a {@code conditions} list whose {@code type} is the given one, as Kubernetes and Fleet write
	 * them ({@code {type, status, reason, message}}).
	 */
	public Optional<Condition> condition(String conditionsPath, String type) {
		for (Map<String, Object> entry : objects(conditionsPath)) {
			if (type.equals(entry.get("type"))) {
				return Optional.of(new Condition(type, text(entry.get("status")), text(entry.get("reason")),
						text(entry.get("message"))));
			}
		}
		return Optional.empty();
	}

	@Override
	public String toString() {
		return this.ref.toString();
	}

	private static String text(Object value) {
		if (value == null) {
			return null;
		}
		String s = value.toString();
		return (s.isEmpty() || BUNDLE_NULL.equals(s)) ? null : s;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> stringKeys(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> cleanStrings(Map<String, String> values) {
		if (values == null || values.isEmpty()) {
			return Map.of();
		}
		Map<String, String> clean = new LinkedHashMap<>();
		values.forEach((k, v) -> clean.put(k, (v == null || BUNDLE_NULL.equals(v)) ? "" : v));
		return (Map<String, String>) (Map<String, ?>) Compact.map(clean);
	}

	private static String intern(String value) {
		return (value != null) ? value.intern() : null;
	}

	private static String emptyToNull(String value) {
		return (value == null || value.isEmpty() || BUNDLE_NULL.equals(value)) ? null : value;
	}

	/**
	 * One status condition.
	 *
	 * @param type the condition type, such as {@code Ready}
	 * @param status {@code True}, {@code False} or {@code Unknown}; {@code null} when absent
	 * @param reason the machine-readable reason, if any
	 * @param message the human-readable message, if any
	 */
	public record Condition(String type, String status, String reason, String message) {

		/** The fields of a conditions entry that a Condition is read from. */
		public static final List<String> FIELDS = List.of("type", "status", "reason", "message");

		public boolean isTrue() {
			return "True".equals(this.status);
		}

		/** {@code Ready=False (KubeletNotReady: container runtime is down)}. */
		public String describe() {
			StringBuilder text = new StringBuilder(this.type).append('=').append(this.status);
			if (this.reason != null || this.message != null) {
				text.append(" (");
				if (this.reason != null) {
					text.append(this.reason);
				}
				if (this.message != null) {
					text.append(this.reason != null ? ": " : "").append(this.message);
				}
				text.append(')');
			}
			return text.toString();
		}

	}

}
