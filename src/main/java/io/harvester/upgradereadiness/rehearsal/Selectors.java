package io.harvester.upgradereadiness.rehearsal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.LabelRequirements;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.ResourceRef;

/**
 * The scheduler's selectors as data: node selector terms (required node affinity), tolerations, taints, label
 * selectors and required pod anti-affinity terms, read from the maps a snapshot keeps, with the scheduler's
 * semantics (k8s.io/component-helpers {@code MatchNodeSelectorTerms}, {@code ToleratesTaint},
 * apimachinery label selectors). A term holding an invalid requirement is dropped, as the scheduler does.
 */
final class Selectors {

	private Selectors() {
	}

	/** One requirement: {@code key operator values}. */
	record Requirement(String key, String operator, List<String> values) {

		boolean matches(Map<String, String> labels) {
			return LabelRequirements.matches(this.key, this.operator, this.values, labels);
		}

		boolean valid() {
			return switch (this.operator) {
				case "In", "NotIn" -> !this.key.isEmpty() && !this.values.isEmpty();
				case "Exists", "DoesNotExist" -> !this.key.isEmpty() && this.values.isEmpty();
				case "Gt", "Lt" -> !this.key.isEmpty() && this.values.size() == 1 && LabelRequirements.parseLong(this.values.get(0)) != null;
				default -> false;
			};
		}

		@Override
		public String toString() {
			return switch (this.operator) {
				case "Exists", "DoesNotExist" -> this.key + " " + this.operator;
				default -> this.key + " " + this.operator + " " + this.values;
			};
		}

	}

	/** One node selector term: label requirements and {@code metadata.name} field requirements, all of which hold. */
	record Term(List<Requirement> labels, List<Requirement> fields) {

		boolean matches(Map<String, String> nodeLabels, String nodeName) {
			if (this.labels.isEmpty() && this.fields.isEmpty()) {
				return false;
			}
			for (Requirement r : this.labels) {
				if (!r.matches(nodeLabels)) {
					return false;
				}
			}
			for (Requirement r : this.fields) {
				if (!r.matches(Map.of("metadata.name", nodeName))) {
					return false;
				}
			}
			return true;
		}

		@Override
		public String toString() {
			List<String> all = new ArrayList<>();
			this.labels.forEach(r -> all.add(r.toString()));
			this.fields.forEach(r -> all.add(r.toString()));
			return String.join(", ", all);
		}

	}

	record Toleration(String key, String operator, String value, String effect) {

		boolean tolerates(Taint taint) {
			if (!this.effect.isEmpty() && !this.effect.equals(taint.effect())) {
				return false;
			}
			if (this.key.isEmpty()) {
				return "Exists".equals(this.operator);
			}
			if (!this.key.equals(taint.key())) {
				return false;
			}
			return "Exists".equals(this.operator) || this.value.equals(taint.value());
		}

	}

	record Taint(String key, String value, String effect) {

		/** Whether the scheduler filters on it: PreferNoSchedule only lowers a score. */
		boolean filters() {
			return "NoSchedule".equals(this.effect) || "NoExecute".equals(this.effect);
		}

		@Override
		public String toString() {
			return "{" + this.key + ": " + this.value + "}";
		}

	}

	/**
	 * A label selector: {@code matchLabels} and {@code matchExpressions}, all of which hold; {@code null} (no
	 * selector) matches nothing, an empty one everything.
	 */
	record LabelSelector(Map<String, String> matchLabels, List<Requirement> expressions) {

		boolean matches(Map<String, String> labels) {
			for (Map.Entry<String, String> entry : this.matchLabels.entrySet()) {
				if (!entry.getValue().equals(labels.get(entry.getKey()))) {
					return false;
				}
			}
			for (Requirement r : this.expressions) {
				if (!r.matches(labels)) {
					return false;
				}
			}
			return true;
		}

	}

	/**
	 * A required pod (anti-)affinity term. {@code namespaces} empty and no namespace selector: the pod's own
	 * namespace; any namespace selector counts as every namespace (namespace labels are not in the snapshot).
	 */
	record PodTerm(LabelSelector selector, String topologyKey, List<String> namespaces, boolean allNamespaces) {

		boolean matches(String namespace, Map<String, String> labels) {
			if (this.selector == null) {
				return false;
			}
			if (!this.allNamespaces && !this.namespaces.contains(namespace)) {
				return false;
			}
			return this.selector.matches(labels);
		}

	}

	static List<Term> nodeSelectorTerms(ResourceRef owner, Object value, String path) {
		List<Term> terms = new ArrayList<>();
		for (Map<?, ?> term : objects(owner, value, path)) {
			List<Requirement> labels = requirements(owner, term.get("matchExpressions"), path + "[].matchExpressions");
			List<Requirement> fields = requirements(owner, term.get("matchFields"), path + "[].matchFields");
			boolean valid = labels.stream().allMatch(Requirement::valid) && fields.stream()
				.allMatch(r -> r.valid() && "metadata.name".equals(r.key()) && r.values().size() == 1
						&& (r.operator().equals("In") || r.operator().equals("NotIn")));
			if (valid) {
				terms.add(new Term(labels, fields));
			}
		}
		return terms;
	}

	static List<Toleration> tolerations(ResourceRef owner, Object value, String path) {
		List<Toleration> tolerations = new ArrayList<>();
		for (Map<?, ?> entry : objects(owner, value, path)) {
			String operator = text(entry.get("operator"));
			tolerations.add(new Toleration(text(entry.get("key")), operator.isEmpty() ? "Equal" : operator,
					text(entry.get("value")), text(entry.get("effect"))));
		}
		return tolerations;
	}

	static List<Taint> taints(ResourceRef owner, Object value, String path) {
		List<Taint> taints = new ArrayList<>();
		for (Map<?, ?> entry : objects(owner, value, path)) {
			taints.add(new Taint(text(entry.get("key")), text(entry.get("value")), text(entry.get("effect"))));
		}
		return taints;
	}

	static List<PodTerm> podTerms(ResourceRef owner, String namespace, Object value, String path) {
		List<PodTerm> terms = new ArrayList<>();
		for (Map<?, ?> entry : objects(owner, value, path)) {
			LabelSelector selector = labelSelector(owner, entry.get("labelSelector"), path + "[].labelSelector");
			List<String> namespaces = strings(owner, entry.get("namespaces"), path + "[].namespaces");
			boolean all = entry.get("namespaceSelector") instanceof Map<?, ?>;
			terms.add(new PodTerm(selector, text(entry.get("topologyKey")),
					namespaces.isEmpty() ? List.of(namespace) : namespaces, all));
		}
		return terms;
	}

	static Map<String, String> stringMap(ResourceRef owner, Object value, String path) {
		if (value == null || "null".equals(value)) {
			return Map.of();
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new MalformedFieldException(owner, path, "an object", value);
		}
		Map<String, String> result = new LinkedHashMap<>();
		map.forEach((k, v) -> result.put(String.valueOf(k), (v == null) ? "" : String.valueOf(v)));
		return result;
	}

	private static LabelSelector labelSelector(ResourceRef owner, Object value, String path) {
		if (!(value instanceof Map<?, ?> map)) {
			return null;
		}
		return new LabelSelector(stringMap(owner, map.get("matchLabels"), path + ".matchLabels"),
				requirements(owner, map.get("matchExpressions"), path + ".matchExpressions"));
	}

	private static List<Requirement> requirements(ResourceRef owner, Object value, String path) {
		List<Requirement> requirements = new ArrayList<>();
		for (Map<?, ?> entry : objects(owner, value, path)) {
			requirements.add(new Requirement(text(entry.get("key")), text(entry.get("operator")),
					strings(owner, entry.get("values"), path + "[].values")));
		}
		return requirements;
	}

	static List<Map<?, ?>> objects(ResourceRef owner, Object value, String path) {
		if (value == null || "null".equals(value)) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new MalformedFieldException(owner, path, "a list", value);
		}
		List<Map<?, ?>> result = new ArrayList<>(list.size());
		for (Object item : list) {
			if (!(item instanceof Map<?, ?> map)) {
				throw new MalformedFieldException(owner, path + "[]", "an object", item);
			}
			result.add(map);
		}
		return result;
	}

	private static List<String> strings(ResourceRef owner, Object value, String path) {
		if (value == null || "null".equals(value)) {
			return List.of();
		}
		if (!(value instanceof List<?> list)) {
			throw new MalformedFieldException(owner, path, "a list", value);
		}
		return list.stream().map(String::valueOf).toList();
	}

	private static String text(Object value) {
		return (value == null || "null".equals(value)) ? "" : String.valueOf(value);
	}

}
