package io.harvester.upgradereadiness.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.ResourceRef;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The validated acknowledgement rules, applied to a report's findings when the report is assembled (checks never
 * see them). A finding takes the first active rule that matches it; a rule past its {@code expires} day no longer
 * applies and is reported with the findings it would have matched.
 */
public final class Acknowledgements {

	static final String PROPERTY = "upgrade-readiness.acknowledgements";

	private static final Acknowledgements NONE = new Acknowledgements(List.of());

	/**
	 * A raw property name under a rule's matchLabels whose key would lose characters in Spring's binding: a key
	 * with anything but letters, digits, '-', '_' and '.' that is not written in brackets.
	 */
	private static final Pattern MANGLED_LABEL_KEY = Pattern.compile(
			"^upgrade-readiness\\.acknowledgements\\[(\\d+)]\\.label-?selector\\.match-?labels\\.(?!\\[)(.*[^A-Za-z0-9._-].*)$",
			Pattern.CASE_INSENSITIVE);

	private final List<CompiledRule> rules;

	private Acknowledgements(List<CompiledRule> rules) {
		this.rules = rules;
	}

	/** No rules: every finding counts. */
	public static Acknowledgements none() {
		return NONE;
	}

	/**
	 * Validates the rules: each needs a check id of the catalogue and a reason.
	 * @throws InvalidAcknowledgementsException naming every rule in error
	 */
	public static Acknowledgements of(List<AcknowledgementProperties.Rule> rules, CheckCatalogue catalogue) {
		List<String> problems = new ArrayList<>();
		List<CompiledRule> compiled = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			AcknowledgementProperties.Rule rule = rules.get(i);
			String id = PROPERTY + "[" + i + "]";
			if (rule == null) {
				problems.add(id + ": empty rule");
				continue;
			}
			int before = problems.size();
			if (blank(rule.check())) {
				problems.add(id + ": 'check' is required (a check id, see GET /api/v1/checks)");
			}
			else if (catalogue.find(rule.check().trim()).isEmpty()) {
				problems.add(id + ": unknown check id '" + rule.check().trim() + "'");
			}
			if (blank(rule.reason())) {
				problems.add(id + ": 'reason' is required: say why the finding is accepted");
			}
			Map<String, String> labels = (rule.labelSelector() != null && rule.labelSelector().matchLabels() != null)
					? rule.labelSelector().matchLabels() : Map.of();
			labels.forEach((key, value) -> {
				if (blank(key) || value == null) {
					problems.add(id + ": labelSelector.matchLabels needs a key and a value for every label");
				}
			});
			if (problems.size() == before) {
				compiled.add(new CompiledRule(id, rule.check().trim(), trimmed(rule.kind()), trimmed(rule.namespace()),
						trimmed(rule.name()), Map.copyOf(labels), rule.reason().trim(), rule.expires()));
			}
		}
		if (!problems.isEmpty()) {
			throw new InvalidAcknowledgementsException(problems);
		}
		return compiled.isEmpty() ? NONE : new Acknowledgements(List.copyOf(compiled));
	}

	/**
	 * Label keys with '/' or other characters that Spring's binding drops unless the key is in brackets
	 * ({@code app.kubernetes.io/name} would silently become {@code app.kubernetes.ioname} and never match).
	 * @return one problem per such key, empty when every key is safe
	 */
	static List<String> mangledLabelKeys(ConfigurableEnvironment environment) {
		List<String> problems = new ArrayList<>();
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					Matcher matcher = MANGLED_LABEL_KEY.matcher(name);
					if (matcher.matches()) {
						problems.add(PROPERTY + "[" + matcher.group(1) + "]: the label key '" + matcher.group(2)
								+ "' must be written in brackets, \"[" + matcher.group(2) + "]\", or Spring drops "
								+ "its special characters (in " + source.getName() + ")");
					}
				}
			}
		}
		return problems;
	}

	public boolean isEmpty() {
		return this.rules.isEmpty();
	}

	/** Whether a rule selects by labels, so that applying needs the objects' labels. */
	boolean needsLabels() {
		return this.rules.stream().anyMatch(rule -> !rule.labels().isEmpty());
	}

	/**
	 * Marks the findings that an active rule matches and lists the expired rules of the report's checks.
	 * @param checks the ids of the checks in the report
	 * @param findings the report's findings
	 * @param today the day in UTC; a rule applies through its {@code expires} day
	 * @param labels the labels of an object of the snapshot, empty when unknown
	 */
	Applied apply(java.util.Collection<String> checks, List<Finding> findings, LocalDate today,
			Function<ResourceRef, Map<String, String>> labels) {
		if (this.rules.isEmpty()) {
			return new Applied(findings, List.of());
		}
		List<Finding> marked = new ArrayList<>(findings.size());
		Map<CompiledRule, List<String>> expiredMatches = new LinkedHashMap<>();
		for (CompiledRule rule : this.rules) {
			if (rule.expiredOn(today) && checks.contains(rule.check())) {
				expiredMatches.put(rule, new ArrayList<>());
			}
		}
		for (Finding finding : findings) {
			Finding result = finding;
			for (CompiledRule rule : this.rules) {
				if (!rule.matches(finding, labels)) {
					continue;
				}
				if (rule.expiredOn(today)) {
					expiredMatches.computeIfAbsent(rule, r -> new ArrayList<>()).add(finding.id());
					continue;
				}
				result = finding.acknowledge(new Finding.Acknowledgement(rule.reason(), rule.expires(), rule.id()));
				break;
			}
			marked.add(result);
		}
		List<ReadinessReport.ExpiredAcknowledgement> expired = expiredMatches.entrySet()
			.stream()
			.map(e -> new ReadinessReport.ExpiredAcknowledgement(e.getKey().id(), e.getKey().check(),
					e.getKey().reason(), e.getKey().expires(), List.copyOf(e.getValue())))
			.toList();
		return new Applied(List.copyOf(marked), expired);
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	private static String trimmed(String value) {
		return blank(value) ? null : value.trim();
	}

	/** The findings, marked, and the rules that expired. */
	record Applied(List<Finding> findings, List<ReadinessReport.ExpiredAcknowledgement> expired) {
	}

	private record CompiledRule(String id, String check, String kind, String namespace, String name,
			Map<String, String> labels, String reason, LocalDate expires) {

		boolean expiredOn(LocalDate today) {
			return this.expires != null && today.isAfter(this.expires);
		}

		boolean matches(Finding finding, Function<ResourceRef, Map<String, String>> labelsOf) {
			if (!this.check.equals(finding.checkId())) {
				return false;
			}
			boolean selects = this.kind != null || this.namespace != null || this.name != null || !this.labels.isEmpty();
			if (!selects) {
				return true;
			}
			return finding.resources().stream().anyMatch(ref -> selects(ref, labelsOf));
		}

		private boolean selects(ResourceRef ref, Function<ResourceRef, Map<String, String>> labelsOf) {
			if (this.kind != null && (ref.kind() == null
					|| !this.kind.toLowerCase(Locale.ROOT).equals(ref.kind().toLowerCase(Locale.ROOT)))) {
				return false;
			}
			if (this.namespace != null && !this.namespace.equals(ref.namespace())) {
				return false;
			}
			if (this.name != null && !this.name.equals(ref.name())) {
				return false;
			}
			if (!this.labels.isEmpty()) {
				Map<String, String> actual = labelsOf.apply(ref);
				return this.labels.entrySet()
					.stream()
					.allMatch(label -> label.getValue().equals(actual.get(label.getKey())));
			}
			return true;
		}

	}

}
