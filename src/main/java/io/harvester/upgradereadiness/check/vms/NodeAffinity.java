package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.LabelRequirements;
import io.harvester.upgradereadiness.cluster.KubeObject;

/**
 * A required node affinity ({@code requiredDuringSchedulingIgnoredDuringExecution}, a Kubernetes NodeSelector) and
 * whether a Node satisfies it, with the scheduler's semantics, which Harvester reuses for HV-17
 * ({@code MatchNodeSelectorTerms} from k8s.io/component-helpers):
 * <ul>
 * <li>the terms are ORed; a term with neither {@code matchExpressions} nor {@code matchFields} matches no node, and
 * so does an empty list of terms;</li>
 * <li>within a term every requirement must hold (ANDed), {@code matchExpressions} on the node's labels and
 * {@code matchFields} on its fields, of which only {@code metadata.name} exists;</li>
 * <li>label operators {@code In}, {@code NotIn} (also true when the label is absent), {@code Exists},
 * {@code DoesNotExist}, {@code Gt} and {@code Lt} (the label and the single value compared as 64-bit integers; a
 * label that is not an integer does not match); field operators {@code In} and {@code NotIn} with exactly one
 * value;</li>
 * <li>a term holding an invalid requirement (unknown operator, {@code In} without values, {@code Exists} with
 * values, {@code Gt} with a value that is not an integer...) is dropped, and the problem kept: the scheduler and
 * Harvester do the same, and fail only when no valid term matches.</li>
 * </ul>
 */
final class NodeAffinity {

	static final String NODE_NAME_FIELD = "metadata.name";

	private final List<Term> terms;

	private final List<String> problems;

	private NodeAffinity(List<Term> terms, List<String> problems) {
		this.terms = terms;
		this.problems = problems;
	}

	/**
	 * Reads the terms of a NodeSelector.
	 * @param owner the object holding them, named in errors
	 * @param terms the {@code nodeSelectorTerms} entries
	 * @param path the field path of {@code nodeSelectorTerms}, for errors
	 */
	static NodeAffinity parse(KubeObject owner, List<Map<String, Object>> terms, String path) {
		List<Term> valid = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < terms.size(); i++) {
			String termPath = path + "[" + i + "]";
			Map<String, Object> term = terms.get(i);
			List<Requirement> labels = requirements(owner, term, "matchExpressions", termPath);
			List<Requirement> fields = requirements(owner, term, "matchFields", termPath);
			List<String> termProblems = new ArrayList<>();
			labels.forEach(r -> r.problem(false).ifPresent(termProblems::add));
			fields.forEach(r -> r.problem(true).ifPresent(termProblems::add));
			if (termProblems.isEmpty()) {
				valid.add(new Term(labels, fields));
			}
			else {
				problems.addAll(termProblems);
			}
		}
		return new NodeAffinity(List.copyOf(valid), List.copyOf(problems));
	}

	/** Whether the node's labels and name satisfy at least one valid term. */
	boolean matches(KubeObject node) {
		Map<String, String> labels = node.labels();
		Map<String, String> fields = Map.of(NODE_NAME_FIELD, node.name());
		return this.terms.stream().anyMatch(term -> term.matches(labels, fields));
	}

	/** Why terms were dropped, such as {@code nodeSelectorTerms[0].matchExpressions[1]: operator Gt needs ...}. */
	List<String> problems() {
		return this.problems;
	}

	private static List<Requirement> requirements(KubeObject owner, Map<String, Object> term, String key,
			String termPath) {
		List<Map<String, Object>> entries = RawFields.objects(owner, term, key, termPath);
		List<Requirement> requirements = new ArrayList<>(entries.size());
		for (int j = 0; j < entries.size(); j++) {
			String where = termPath + "." + key + "[" + j + "]";
			Map<String, Object> entry = entries.get(j);
			requirements.add(new Requirement(where, RawFields.string(owner, entry, "key", where).orElse(""),
					RawFields.string(owner, entry, "operator", where).orElse(""),
					RawFields.strings(owner, entry, "values", where)));
		}
		return requirements;
	}

	/** One term: its requirements, all of which must hold. */
	private record Term(List<Requirement> labels, List<Requirement> fields) {

		boolean matches(Map<String, String> nodeLabels, Map<String, String> nodeFields) {
			if (this.labels.isEmpty() && this.fields.isEmpty()) {
				return false;
			}
			return this.labels.stream().allMatch(r -> r.matches(nodeLabels))
					&& this.fields.stream().allMatch(r -> r.matches(nodeFields));
		}

	}

	/**
	 * One requirement of a term.
	 *
	 * @param where its field path, for problems
	 * @param key the label or field
	 * @param operator {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, {@code Gt} or {@code Lt}
	 * @param values the values
	 */
	record Requirement(String where, String key, String operator, List<String> values) {

		/** Why this requirement is invalid; empty when it is valid. */
		Optional<String> problem(boolean field) {
			if (this.key.isEmpty()) {
				return Optional.of(this.where + ": no key");
			}
			if (field) {
				if (!"In".equals(this.operator) && !"NotIn".equals(this.operator)) {
					return Optional.of(this.where + ": operator " + describe(this.operator)
							+ " is not supported for fields, only In and NotIn");
				}
				return (this.values.size() == 1) ? Optional.empty()
						: Optional.of(this.where + ": operator " + this.operator
								+ " on a field needs exactly one value");
			}
			return switch (this.operator) {
				case "In", "NotIn" -> this.values.isEmpty()
						? Optional.of(this.where + ": operator " + this.operator + " needs at least one value")
						: Optional.empty();
				case "Exists", "DoesNotExist" -> this.values.isEmpty() ? Optional.empty()
						: Optional.of(this.where + ": operator " + this.operator + " takes no values");
				case "Gt", "Lt" -> (this.values.size() == 1 && LabelRequirements.parseLong(this.values.get(0)) != null)
						? Optional.empty()
						: Optional.of(this.where + ": operator " + this.operator + " needs exactly one integer value");
				default -> Optional.of(this.where + ": unknown operator " + describe(this.operator));
			};
		}

		/** Whether the labels (or fields) satisfy this requirement; only called on valid requirements. */
		boolean matches(Map<String, String> labels) {
			return LabelRequirements.matches(this.key, this.operator, this.values, labels);
		}

		private static String describe(String operator) {
			return operator.isEmpty() ? "(none)" : operator;
		}


	}

}
