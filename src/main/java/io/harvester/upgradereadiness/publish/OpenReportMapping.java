package io.harvester.upgradereadiness.publish;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.OpenReportsClient;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.report.ReadinessReport;

/**
 * The report as an OpenReports {@code Report}: a pure function, so what is published is decided here and tested
 * without an API server.
 * <p>
 * One result per finding ({@code fail} when it blocks, {@code warn} when not, {@code skip} when acknowledged), and
 * one per check without findings ({@code pass}, {@code skip}, {@code error}); {@code policy} is the check id and
 * {@code rule} the finding's rule. Beyond {@code maxResults} the results that matter most are kept (fail, error, warn,
 * skip, pass, each in check order), the {@code summary} still counts them all, and the truncation is said in
 * {@code configuration.limits.maxResults} and an annotation.
 */
public final class OpenReportMapping {

	public static final String SOURCE = "harvester-upgrade-readiness";

	public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

	public static final String PART_OF = "app.kubernetes.io/part-of";

	private static final String PREFIX = "upgrade-readiness.harvesterhci.io/";

	public static final String VERDICT = PREFIX + "verdict";

	public static final String CURRENT_VERSION = PREFIX + "current-version";

	public static final String TARGET_VERSION = PREFIX + "target-version";

	public static final String EVALUATED_AT = PREFIX + "evaluated-at";

	public static final String TRUNCATED = PREFIX + "truncated";

	/** OpenReports' result values, in the order they are kept when the report must be truncated. */
	enum Result {

		FAIL, ERROR, WARN, SKIP, PASS;

		String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private OpenReportMapping() {
	}

	/**
	 * The Report for this readiness report.
	 * @param report the readiness report
	 * @param namespace the Report's namespace
	 * @param name the Report's name
	 * @param maxResults the most results to keep
	 */
	public static GenericKubernetesResource map(ReadinessReport report, String namespace, String name, int maxResults) {
		Map<String, Object> timestamp = timestamp(report.evaluatedAt());
		List<Entry> entries = new ArrayList<>();
		Map<String, Finding> findings = new HashMap<>();
		report.findings().forEach(finding -> findings.put(finding.id(), finding));
		for (ReadinessReport.CheckReport check : report.checks()) {
			boolean unevaluated = check.status() == CheckStatus.SKIPPED || check.status() == CheckStatus.ERROR;
			if (check.findings().isEmpty() || unevaluated) {
				entries.add(checkResult(check, timestamp));
			}
			for (String id : check.findings()) {
				entries.add(findingResult(check, findings.get(id), timestamp));
			}
		}
		Map<Result, Integer> summary = new EnumMap<>(Result.class);
		for (Result result : Result.values()) {
			summary.put(result, 0);
		}
		entries.forEach(entry -> summary.merge(entry.result(), 1, Integer::sum));
		List<Entry> kept = keep(entries, maxResults);

		Map<String, String> labels = new LinkedHashMap<>();
		labels.put(MANAGED_BY, SOURCE);
		labels.put(PART_OF, SOURCE);
		labels.put(VERDICT, report.verdict().name());
		Map<String, String> annotations = new LinkedHashMap<>();
		if (report.versions() != null && report.versions().current() != null) {
			annotations.put(CURRENT_VERSION, report.versions().current());
		}
		if (report.versions() != null && report.versions().target() != null) {
			annotations.put(TARGET_VERSION, report.versions().target());
		}
		annotations.put(EVALUATED_AT, report.evaluatedAt().toString());
		if (kept.size() < entries.size()) {
			annotations.put(TRUNCATED, "kept " + kept.size() + " of " + entries.size() + " results (max-results "
					+ maxResults + "; fail, error, warn, skip, pass first); GET /api/v1/upgrade-readiness lists them all");
		}

		GenericKubernetesResource resource = new GenericKubernetesResource();
		resource.setApiVersion(OpenReportsClient.API_VERSION);
		resource.setKind(OpenReportsClient.KIND);
		resource.setMetadata(new ObjectMetaBuilder().withNamespace(namespace)
			.withName(name)
			.withLabels(labels)
			.withAnnotations(annotations)
			.build());
		resource.setAdditionalProperty("source", SOURCE);
		resource.setAdditionalProperty("configuration", Map.of("limits", Map.of("maxResults", maxResults)));
		Map<String, Object> counts = new LinkedHashMap<>();
		for (Result result : List.of(Result.PASS, Result.FAIL, Result.WARN, Result.ERROR, Result.SKIP)) {
			counts.put(result.value(), summary.get(result));
		}
		resource.setAdditionalProperty("summary", counts);
		resource.setAdditionalProperty("results", kept.stream().map(Entry::fields).toList());
		return resource;
	}

	/**
	 * What a Report says, the moment of evaluation left out: its results without their timestamps, summary,
	 * source, configuration, our labels and our annotations but {@code evaluated-at}. Two Reports with equal content
	 * need no write; a report re-evaluated on a new snapshot version that found the same is not written again.
	 */
	public static Map<String, Object> content(GenericKubernetesResource report) {
		Map<String, Object> content = new TreeMap<>();
		Map<String, Object> body = normalised(report.getAdditionalProperties());
		for (String field : List.of("source", "configuration", "summary", "results")) {
			content.put(field, body.get(field));
		}
		if (content.get("results") instanceof List<?> results) {
			List<Object> withoutTime = new ArrayList<>();
			for (Object result : results) {
				if (result instanceof Map<?, ?> map) {
					Map<Object, Object> copy = new LinkedHashMap<>(map);
					copy.remove("timestamp");
					withoutTime.add(copy);
				}
				else {
					withoutTime.add(result);
				}
			}
			content.put("results", withoutTime);
		}
		content.put("labels", ours(report.getMetadata().getLabels()));
		Map<String, String> annotations = ours(report.getMetadata().getAnnotations());
		annotations.remove(EVALUATED_AT);
		content.put("annotations", annotations);
		return content;
	}

	/** The results kept: at most {@code max}, those that matter most, then in the report's order. */
	private static List<Entry> keep(List<Entry> entries, int max) {
		if (entries.size() <= max) {
			return entries;
		}
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < entries.size(); i++) {
			order.add(i);
		}
		order.sort(Comparator.comparing((Integer i) -> entries.get(i).result()).thenComparing(i -> i));
		List<Integer> kept = new ArrayList<>(order.subList(0, max));
		kept.sort(null);
		return kept.stream().map(entries::get).toList();
	}

	private static Entry checkResult(ReadinessReport.CheckReport check, Map<String, Object> timestamp) {
		Result result = switch (check.status()) {
			case PASS, FAIL -> Result.PASS;
			case SKIPPED -> Result.SKIP;
			case ERROR -> Result.ERROR;
		};
		Map<String, Object> fields = base(check, null, result, "low", timestamp);
		fields.put("message", (result == Result.PASS || check.reason() == null) ? check.title() : check.reason());
		if (check.skipKind() != null) {
			fields.put("properties", Map.of("skipKind", check.skipKind().name()));
		}
		return new Entry(result, fields);
	}

	private static Entry findingResult(ReadinessReport.CheckReport check, Finding finding,
			Map<String, Object> timestamp) {
		Result result;
		String severity;
		if (finding.acknowledged() != null) {
			result = Result.SKIP;
			severity = "low";
		}
		else if (finding.blocking()) {
			result = Result.FAIL;
			severity = "high";
		}
		else {
			result = Result.WARN;
			severity = (finding.severity() == Severity.INFO) ? "info" : "medium";
		}
		Map<String, Object> fields = base(check, finding.rule(), result, severity, timestamp);
		List<Map<String, Object>> resources = finding.resources().stream().map(OpenReportMapping::reference).toList();
		if (!resources.isEmpty()) {
			fields.put("resources", resources);
		}
		fields.put("message", finding.message());
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("findingId", finding.id());
		properties.put("blocking", Boolean.toString(finding.blocking()));
		if (finding.remediation() != null && !finding.remediation().isBlank()) {
			properties.put("remediation", finding.remediation());
		}
		if (finding.acknowledged() != null) {
			properties.put("acknowledged", "true");
			properties.put("acknowledgedReason", finding.acknowledged().reason());
			if (finding.acknowledged().expires() != null) {
				properties.put("acknowledgedExpires", finding.acknowledged().expires().toString());
			}
		}
		fields.put("properties", properties);
		return new Entry(result, fields);
	}

	private static Map<String, Object> base(ReadinessReport.CheckReport check, String rule, Result result,
			String severity, Map<String, Object> timestamp) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("policy", check.id());
		if (rule != null) {
			fields.put("rule", rule);
		}
		fields.put("source", SOURCE);
		fields.put("category", check.category());
		fields.put("severity", severity);
		fields.put("result", result.value());
		fields.put("timestamp", timestamp);
		return fields;
	}

	private static Map<String, Object> reference(ResourceRef ref) {
		Map<String, Object> reference = new LinkedHashMap<>();
		reference.put("apiVersion", ref.apiVersion());
		reference.put("kind", ref.kind());
		if (ref.namespace() != null && !ref.namespace().isEmpty()) {
			reference.put("namespace", ref.namespace());
		}
		reference.put("name", ref.name());
		return reference;
	}

	private static Map<String, Object> timestamp(Instant instant) {
		Map<String, Object> timestamp = new LinkedHashMap<>();
		timestamp.put("seconds", instant.getEpochSecond());
		timestamp.put("nanos", instant.getNano());
		return timestamp;
	}

	private static Map<String, String> ours(Map<String, String> values) {
		Map<String, String> ours = new TreeMap<>();
		if (values != null) {
			values.forEach((key, value) -> {
				if (key.startsWith(PREFIX) || key.equals(MANAGED_BY) || key.equals(PART_OF)) {
					ours.put(key, value);
				}
			});
		}
		return ours;
	}

	/** Through JSON and back, so that the object read from the server and the one built here compare alike. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> normalised(Map<String, Object> body) {
		return SERIALIZATION.unmarshal(SERIALIZATION.asJson(body), Map.class);
	}

	private record Entry(Result result, Map<String, Object> fields) {
	}

}
