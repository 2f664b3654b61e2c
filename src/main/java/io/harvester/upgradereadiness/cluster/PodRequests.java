package io.harvester.upgradereadiness.cluster;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * What the pods kind keeps of a Pod's containers: its effective resource request as the scheduler computes it
 * ({@code PodRequests} in k8s.io/component-helpers, KEP-753), derived when the pod arrives so that its containers,
 * images, environment and probes are not held.
 * <ul>
 * <li>the containers' requests are summed; restartable init containers ({@code restartPolicy: Always}, sidecars)
 * add to that sum, and each ordinary init container needs its own request plus the sidecars started before it;
 * the pod needs the larger of the two, per resource;</li>
 * <li>pod-level {@code spec.resources.requests}, when set, replace the containers' cpu and memory;</li>
 * <li>{@code spec.overhead} (the RuntimeClass's) is added.</li>
 * </ul>
 * Values are whole numbers rounded up as {@code Quantity.MilliValue()} and {@code Value()} do: millicores for
 * {@code cpu}, base units (bytes, counts) for everything else. A quantity that cannot be read gives, instead of the
 * map, a string saying which, for the reader to report as a malformed field.
 */
public final class PodRequests {

	/** The key the pods kind keeps the effective request under. */
	public static final String KEY = "effectiveRequests";

	public static final String CPU = "cpu";

	private PodRequests() {
	}

	/** What the derivation reads of a pod. */
	static final List<String> INPUTS = List.of("spec.containers", "spec.initContainers", "spec.overhead",
			"spec.resources");

	/** The derivation declared on {@link WatchedKind#PODS}. */
	static Object derive(Map<String, String> labels, String creationTimestamp, Map<String, Object> body) {
		try {
			return effective(body);
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
	}

	/**
	 * The effective request of a pod body ({@code spec} and {@code status} at the top).
	 * @throws IllegalArgumentException naming the field when a request cannot be read
	 */
	static Map<String, Long> effective(Map<String, Object> body) {
		Map<?, ?> spec = (body.get("spec") instanceof Map<?, ?> m) ? m : Map.of();
		Map<String, Long> containers = new LinkedHashMap<>();
		for (Map<?, ?> container : list(spec.get("containers"))) {
			add(containers, requests(container, "spec.containers[].resources.requests"));
		}
		Map<String, Long> sidecars = new LinkedHashMap<>();
		Map<String, Long> initPeak = new LinkedHashMap<>();
		for (Map<?, ?> init : list(spec.get("initContainers"))) {
			Map<String, Long> request = requests(init, "spec.initContainers[].resources.requests");
			if ("Always".equals(init.get("restartPolicy"))) {
				add(sidecars, request);
				continue;
			}
			Map<String, Long> peak = new LinkedHashMap<>(sidecars);
			add(peak, request);
			peak.forEach((name, value) -> initPeak.merge(name, value, Math::max));
		}
		Map<String, Long> total = new LinkedHashMap<>(containers);
		add(total, sidecars);
		initPeak.forEach((name, value) -> total.merge(name, value, Math::max));
		if (spec.get("resources") instanceof Map<?, ?> podResources) {
			Map<String, Long> podLevel = quantities(podResources.get("requests"), "spec.resources.requests");
			for (String name : List.of(CPU, "memory")) {
				if (podLevel.containsKey(name)) {
					total.put(name, podLevel.get(name));
				}
			}
		}
		add(total, quantities(spec.get("overhead"), "spec.overhead"));
		return total;
	}

	/**
	 * A quantity in the units this class uses: millicores for {@code cpu}, base units rounded up otherwise.
	 * @throws IllegalArgumentException when it is not a Kubernetes quantity
	 */
	public static long amount(String resource, Object quantity) {
		if (!(quantity instanceof String) && !(quantity instanceof Number)) {
			throw new IllegalArgumentException("not a quantity: " + quantity);
		}
		BigDecimal value;
		try {
			value = Quantity.getAmountInBytes(Quantity.parse(quantity.toString().trim()));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("not a quantity: " + quantity);
		}
		if (CPU.equals(resource)) {
			value = value.multiply(BigDecimal.valueOf(1000));
		}
		return value.setScale(0, RoundingMode.CEILING).longValueExact();
	}

	private static Map<String, Long> requests(Map<?, ?> container, String path) {
		if (!(container.get("resources") instanceof Map<?, ?> resources)) {
			return Map.of();
		}
		return quantities(resources.get("requests"), path);
	}

	private static Map<String, Long> quantities(Object value, String path) {
		if (value == null || "null".equals(value)) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException(path + " is not an object");
		}
		Map<String, Long> result = new LinkedHashMap<>();
		map.forEach((name, quantity) -> {
			try {
				result.put(String.valueOf(name), amount(String.valueOf(name), quantity));
			}
			catch (IllegalArgumentException | ArithmeticException ex) {
				throw new IllegalArgumentException(path + "." + name + " is not a quantity: " + quantity);
			}
		});
		return result;
	}

	private static void add(Map<String, Long> into, Map<String, Long> values) {
		values.forEach((name, value) -> into.merge(name, value, Long::sum));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<?, ?>> list(Object value) {
		if (!(value instanceof List<?> list)) {
			return List.of();
		}
		return (List<Map<?, ?>>) (List<?>) list.stream().filter(Map.class::isInstance).toList();
	}

}
