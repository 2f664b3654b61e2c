package io.harvester.upgradereadiness.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Random damage to an object's fields, as broken controllers, odd versions and support bundles produce: missing
 * status, wrong types (a phase that is a number, a condition list that is a map), nulls, empty and unknown values.
 */
public final class Corruptions {

	private static final List<BiFunction<Map<String, Object>, Random, String>> DAMAGE = List.of(
			(o, r) -> remove(o, "status", "no status"),
			(o, r) -> remove(o, "spec", "no spec"),
			(o, r) -> put(status(o), "phase", r.nextInt(100), "status.phase is a number"),
			(o, r) -> put(status(o), "phase", "Exploding", "status.phase is an unknown value"),
			(o, r) -> put(status(o), "conditions", Map.of("type", "Ready", "status", "True"), "conditions is a map"),
			(o, r) -> put(status(o), "conditions", List.of("Ready", 3), "conditions holds scalars"),
			(o, r) -> put(status(o), "conditions", null, "conditions is null"),
			(o, r) -> put(status(o), "nodeRef", "harv41", "nodeRef is a string"),
			(o, r) -> put(status(o), "nodeRef", Map.of("name", 12), "nodeRef.name is a number"),
			(o, r) -> put(spec(o), "providerID", List.of("rke2://x"), "providerID is a list"),
			(o, r) -> put(spec(o), "providerID", "", "providerID is empty"),
			(o, r) -> put(spec(o), "unschedulable", "maybe", "unschedulable is not a boolean"),
			(o, r) -> put(spec(o), "taints", Map.of("key", "x"), "taints is a map"),
			(o, r) -> put(o, "status", "broken", "status is a string"),
			(o, r) -> put(o, "spec", 42, "spec is a number"));

	private Corruptions() {
	}

	/** Damages the object at random and says how. */
	public static String apply(GenericKubernetesResource object, Random random) {
		return apply(object.getAdditionalProperties(), random) + " on " + object.getKind() + " "
				+ object.getMetadata().getName();
	}

	/** Damages an object's body (everything but apiVersion, kind and metadata) at random and says how. */
	public static String apply(Map<String, Object> body, Random random) {
		return DAMAGE.get(random.nextInt(DAMAGE.size())).apply(body, random);
	}

	private static String remove(Map<String, Object> body, String key, String what) {
		body.remove(key);
		return what;
	}

	private static String put(Map<String, Object> body, String key, Object value, String what) {
		body.put(key, value);
		return what;
	}

	private static Map<String, Object> status(Map<String, Object> body) {
		return section(body, "status");
	}

	private static Map<String, Object> spec(Map<String, Object> body) {
		return section(body, "spec");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> section(Map<String, Object> body, String key) {
		Object value = body.get(key);
		if (!(value instanceof Map)) {
			value = new LinkedHashMap<String, Object>();
			body.put(key, value);
		}
		Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) value);
		body.put(key, copy);
		return copy;
	}

}
