package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;

/**
 * Reads fields inside the maps that {@link KubeObject#objects(String)} returns (list entries such as a VMI volume
 * or a node selector term), with the same leniency and the same errors as {@link KubeObject}: absent and the
 * support-bundle {@code "null"} are empty, a value of the wrong shape throws {@link MalformedFieldException} naming
 * the object and the full field path.
 */
final class RawFields {

	private static final String BUNDLE_NULL = "null";

	private RawFields() {
	}

	static Optional<String> string(KubeObject owner, Map<String, Object> parent, String key, String path) {
		Object value = parent.get(key);
		if (value == null) {
			return Optional.empty();
		}
		if (!(value instanceof String s)) {
			throw new MalformedFieldException(owner.ref(), path + "." + key, "a string", value);
		}
		return (s.isEmpty() || BUNDLE_NULL.equals(s)) ? Optional.empty() : Optional.of(s);
	}

	/** A boolean; absent is false, the strings {@code "true"} and {@code "false"} are accepted. */
	static boolean isTrue(KubeObject owner, Map<String, Object> parent, String key, String path) {
		Object value = parent.get(key);
		if (value == null || (value instanceof String s && (s.isEmpty() || BUNDLE_NULL.equals(s)))) {
			return false;
		}
		if (value instanceof Boolean b) {
			return b;
		}
		if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
			return Boolean.parseBoolean(s);
		}
		throw new MalformedFieldException(owner.ref(), path + "." + key, "a boolean", value);
	}

	/** An object; absent is an empty map. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> map(KubeObject owner, Map<String, Object> parent, String key, String path) {
		Object value = parent.get(key);
		if (value == null || BUNDLE_NULL.equals(value)) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> m)) {
			throw new MalformedFieldException(owner.ref(), path + "." + key, "an object", value);
		}
		return Collections.unmodifiableMap((Map<String, Object>) m);
	}

	/** A list of objects; absent is an empty list. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> objects(KubeObject owner, Map<String, Object> parent, String key, String path) {
		List<Map<String, Object>> result = new ArrayList<>();
		for (Object item : list(owner, parent, key, path)) {
			if (!(item instanceof Map<?, ?> m)) {
				throw new MalformedFieldException(owner.ref(), path + "." + key + "[]", "an object", item);
			}
			result.add(Collections.unmodifiableMap((Map<String, Object>) m));
		}
		return Collections.unmodifiableList(result);
	}

	/** A list of strings; absent is an empty list. */
	static List<String> strings(KubeObject owner, Map<String, Object> parent, String key, String path) {
		List<String> result = new ArrayList<>();
		for (Object item : list(owner, parent, key, path)) {
			if (!(item instanceof String s)) {
				throw new MalformedFieldException(owner.ref(), path + "." + key + "[]", "a string", item);
			}
			result.add(s);
		}
		return Collections.unmodifiableList(result);
	}

	private static List<?> list(KubeObject owner, Map<String, Object> parent, String key, String path) {
		Object value = parent.get(key);
		if (value == null || BUNDLE_NULL.equals(value)) {
			return List.of();
		}
		if (!(value instanceof List<?> l)) {
			throw new MalformedFieldException(owner.ref(), path + "." + key, "a list", value);
		}
		return l;
	}

}
