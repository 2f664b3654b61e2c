package io.harvester.upgradereadiness.check;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes' semantics of one label (or field) requirement, {@code key operator values}, as node selector terms
 * and label selectors use it: the one definition shared by the checks' node affinity and the drain rehearsal's
 * scheduler, so that both always agree on which node matches.
 */
public final class LabelRequirements {

	private LabelRequirements() {
	}

	/**
	 * Whether the labels satisfy the requirement. {@code Gt} and {@code Lt} compare integers; a value or a bound that
	 * is not an integer, like an unknown operator, never matches.
	 * @param key the label or field
	 * @param operator {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, {@code Gt} or {@code Lt}
	 * @param values the requirement's values
	 * @param labels the labels (or fields) of the object
	 */
	public static boolean matches(String key, String operator, List<String> values, Map<String, String> labels) {
		String value = labels.get(key);
		return switch (operator) {
			case "In" -> value != null && values.contains(value);
			case "NotIn" -> value == null || !values.contains(value);
			case "Exists" -> value != null;
			case "DoesNotExist" -> value == null;
			case "Gt", "Lt" -> {
				Long actual = parseLong(value);
				Long wanted = values.isEmpty() ? null : parseLong(values.get(0));
				if (actual == null || wanted == null) {
					yield false;
				}
				yield "Gt".equals(operator) ? actual > wanted : actual < wanted;
			}
			default -> false;
		};
	}

	/** The integer a {@code Gt}/{@code Lt} requirement reads, {@code null} when the text is not one. */
	public static Long parseLong(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Long.parseLong(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
