package io.harvester.upgradereadiness.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.report.AcknowledgementProperties;
import io.harvester.upgradereadiness.report.Acknowledgements;
import io.harvester.upgradereadiness.report.ReadinessReport;
import io.harvester.upgradereadiness.report.ReportService;
import io.harvester.upgradereadiness.report.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The readiness report as an OpenReports Report: what each result says, the summary, labels and truncation. */
class OpenReportMappingTests {

	static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	static final String ORPHAN_MESSAGE = "machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, "
			+ "but no node carries it";

	@Test
	void theDemoBecomesOneReportWithAResultPerFindingAndPerCheckWithoutFindings() {
		ReadinessReport report = demo();

		GenericKubernetesResource published = OpenReportMapping.map(report, "harvester-system",
				"harvester-upgrade-readiness", 500);

		assertThat(published.getApiVersion()).isEqualTo("openreports.io/v1alpha1");
		assertThat(published.getKind()).isEqualTo("Report");
		assertThat(published.getMetadata().getNamespace()).isEqualTo("harvester-system");
		assertThat(published.getMetadata().getName()).isEqualTo("harvester-upgrade-readiness");
		assertThat(published.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
				"app.kubernetes.io/managed-by", "harvester-upgrade-readiness",
				"app.kubernetes.io/part-of", "harvester-upgrade-readiness",
				"upgrade-readiness.harvesterhci.io/verdict", "NOT_READY"));
		assertThat(published.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
				"upgrade-readiness.harvesterhci.io/current-version", "v1.5.0",
				"upgrade-readiness.harvesterhci.io/target-version", "v1.5.1",
				"upgrade-readiness.harvesterhci.io/evaluated-at", report.evaluatedAt().toString()));
		assertThat(published.getAdditionalProperties()).containsEntry("source", "harvester-upgrade-readiness")
			.containsEntry("configuration", Map.of("limits", Map.of("maxResults", 500)));

		ReadinessReport.Summary summary = report.summary();
		assertThat(published.getAdditionalProperties().get("summary")).isEqualTo(Map.of("pass", summary.passed(),
				"fail", summary.blockingFindings(), "warn", summary.findings() - summary.blockingFindings(), "error",
				summary.errored(), "skip", summary.skipped()));
		List<Map<String, Object>> results = results(published);
		assertThat(results).hasSize(summary.checks() - summary.failed() + summary.findings());

		Finding orphan = report.findings().stream().filter(f -> f.message().equals(ORPHAN_MESSAGE)).findFirst()
			.orElseThrow();
		assertThat(result(results, "machine-node-match", "provider-id-without-node")).containsExactlyEntriesOf(
				ordered("policy", "machine-node-match", "rule", "provider-id-without-node", "source",
						"harvester-upgrade-readiness", "category", "machines", "severity", "high", "result", "fail",
						"timestamp", timestamp(report.evaluatedAt()), "resources",
						List.of(Map.of("apiVersion", "cluster.x-k8s.io/v1beta1", "kind", "Machine", "namespace",
								"fleet-local", "name", "custom-4d279419a084")),
						"message", ORPHAN_MESSAGE, "properties", Map.of("findingId", orphan.id(), "blocking", "true",
								"remediation", orphan.remediation())));
		assertThat(result(results, "pods-ready", null)).containsEntry("result", "warn")
			.containsEntry("severity", "medium")
			.containsEntry("message", "pod cattle-monitoring-system/rancher-monitoring-grafana-d6f466988-kks8h is not "
					+ "ready: Ready=False (ContainersNotReady: containers with unready status: [grafana])");
		assertThat(result(results, "nodes-ready", null)).containsEntry("result", "pass")
			.containsEntry("severity", "low")
			.containsEntry("message", check(report, "nodes-ready").title())
			.doesNotContainKeys("rule", "resources");
		ReadinessReport.CheckReport skipped = check(report, "node-disk-headroom");
		assertThat(result(results, "node-disk-headroom", null)).containsEntry("result", "skip")
			.containsEntry("severity", "low")
			.containsEntry("message", skipped.reason())
			.containsEntry("properties", Map.of("skipKind", "DELIBERATE"));
		assertThat(results).allSatisfy(r -> assertThat(r).containsEntry("source", "harvester-upgrade-readiness")
			.containsEntry("timestamp", timestamp(report.evaluatedAt())));
		assertThat(results.stream().filter(r -> r.get("result").equals("fail")).map(r -> r.get("message")))
			.containsExactlyElementsOf(report.findings().stream().filter(Finding::blocking).map(Finding::message)
				.toList());
	}

	@Test
	void anAcknowledgedFindingIsASkipThatSaysWhyAndNoLongerAFail() {
		ReadinessReport report = report("classpath:demo-snapshot",
				Acknowledgements.of(List.of(new AcknowledgementProperties.Rule("machine-node-match", "Machine",
						"fleet-local", "custom-4d279419a084", null, "being decommissioned (OPS-7)",
						LocalDate.parse("2026-12-31"))), CheckCatalogue.standard()));

		List<Map<String, Object>> results = results(OpenReportMapping.map(report, "ns", "name", 500));

		Map<String, Object> acknowledged = result(results, "machine-node-match", "provider-id-without-node");
		assertThat(acknowledged).containsEntry("result", "skip").containsEntry("severity", "low");
		assertThat(properties(acknowledged)).containsEntry("acknowledged", "true")
			.containsEntry("acknowledgedReason", "being decommissioned (OPS-7)")
			.containsEntry("acknowledgedExpires", "2026-12-31")
			.containsEntry("blocking", "true");
	}

	@Test
	void anErroredCheckIsAnErrorAndAnInfoFindingAWarnOfSeverityInfo() {
		ResourceRef node = new ResourceRef("v1", "Node", null, "harv41");
		Finding info = new Finding("nodes-ready/note/1", "nodes-ready", "note", Severity.INFO, false, "a note",
				"nothing to do", List.of(node), Map.of());
		ReadinessReport report = handMade(Verdict.UNKNOWN, List.of(
				new ReadinessReport.CheckReport("nodes-ready", "Nodes are Ready", "nodes", CheckStatus.FAIL, null, null,
						List.of(info.id())),
				new ReadinessReport.CheckReport("pods-ready", "Pods are Ready", "workloads", CheckStatus.ERROR,
						"cannot evaluate: Pod a/b: field status.conditions is a map", null, List.of())),
				List.of(info));

		GenericKubernetesResource published = OpenReportMapping.map(report, "ns", "name", 500);

		List<Map<String, Object>> results = results(published);
		assertThat(result(results, "nodes-ready", "note")).containsEntry("result", "warn")
			.containsEntry("severity", "info")
			.containsEntry("resources", List.of(Map.of("apiVersion", "v1", "kind", "Node", "name", "harv41")));
		assertThat(result(results, "pods-ready", null)).containsEntry("result", "error")
			.containsEntry("severity", "low")
			.containsEntry("message", "cannot evaluate: Pod a/b: field status.conditions is a map");
		assertThat(published.getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict",
				"UNKNOWN");
		assertThat(published.getMetadata().getAnnotations()).as("no versions known")
			.containsOnlyKeys("upgrade-readiness.harvesterhci.io/evaluated-at");
	}

	@Test
	void beyondMaxResultsTheFailsAreKeptFirstTheSummaryCountsAllAndTheReportSaysItIsTruncated() {
		ReadinessReport report = demo();
		int blocking = report.summary().blockingFindings();
		int all = results(OpenReportMapping.map(report, "ns", "name", 500)).size();

		GenericKubernetesResource onlyFails = OpenReportMapping.map(report, "ns", "name", blocking - 1);
		assertThat(results(onlyFails)).hasSize(blocking - 1).allSatisfy(r -> assertThat(r).containsEntry("result", "fail"));
		assertThat(onlyFails.getMetadata().getAnnotations()).containsEntry("upgrade-readiness.harvesterhci.io/truncated",
				"kept " + (blocking - 1) + " of " + all + " results (max-results " + (blocking - 1)
						+ "; fail, error, warn, skip, pass first); GET /api/v1/upgrade-readiness lists them all");
		assertThat(onlyFails.getAdditionalProperties().get("configuration"))
			.isEqualTo(Map.of("limits", Map.of("maxResults", blocking - 1)));
		assertThat(onlyFails.getAdditionalProperties().get("summary"))
			.isEqualTo(OpenReportMapping.map(report, "ns", "name", 500).getAdditionalProperties().get("summary"));

		GenericKubernetesResource failsAndAWarning = OpenReportMapping.map(report, "ns", "name", blocking + 1);
		List<Map<String, Object>> kept = results(failsAndAWarning);
		assertThat(kept).extracting(r -> r.get("result")).containsOnly("fail", "warn");
		assertThat(kept).filteredOn(r -> r.get("result").equals("warn")).singleElement()
			.satisfies(r -> assertThat(r.get("policy")).as("the first warning in check order")
				.isEqualTo(report.findings().stream().filter(f -> !f.blocking()).findFirst().orElseThrow().checkId()));
		assertThat(OpenReportMapping.map(report, "ns", "name", all).getMetadata().getAnnotations())
			.doesNotContainKey("upgrade-readiness.harvesterhci.io/truncated");
	}

	@Test
	void theContentLeavesTheMomentOutSoThatARevaluationThatFoundTheSameIsNoChange() {
		ReadinessReport first = report("classpath:demo-snapshot", Acknowledgements.none(), NOW);
		ReadinessReport later = report("classpath:demo-snapshot", Acknowledgements.none(), NOW.plusSeconds(3600));
		ReadinessReport healthy = report("src/test/resources/snapshots/healthy-cluster", Acknowledgements.none(), NOW);

		Map<String, Object> content = OpenReportMapping.content(OpenReportMapping.map(first, "ns", "name", 500));

		assertThat(later.evaluatedAt()).isNotEqualTo(first.evaluatedAt());
		assertThat(OpenReportMapping.content(OpenReportMapping.map(later, "ns", "name", 500))).isEqualTo(content);
		assertThat(OpenReportMapping.content(OpenReportMapping.map(healthy, "ns", "name", 500))).isNotEqualTo(content);
		assertThat(OpenReportMapping.content(OpenReportMapping.map(first, "ns", "name", 3))).isNotEqualTo(content);
	}

	// ---- helpers -------------------------------------------------------------------------------------------

	static ReadinessReport demo() {
		return report("classpath:demo-snapshot", Acknowledgements.none());
	}

	static ReadinessReport report(String snapshot, Acknowledgements acknowledgements) {
		return report(snapshot, acknowledgements, NOW);
	}

	static ReadinessReport report(String snapshot, Acknowledgements acknowledgements, Instant now) {
		return new ReportService(FileSnapshotSource.load(snapshot, now.minusSeconds(30)), CheckCatalogue.standard(),
				new CheckRunner(), Clock.fixed(now, ZoneOffset.UTC), CheckOptions.defaults(), Duration.ofSeconds(60),
				acknowledgements)
			.report();
	}

	private static ReadinessReport handMade(Verdict verdict, List<ReadinessReport.CheckReport> checks,
			List<Finding> findings) {
		return new ReadinessReport(verdict, false, NOW,
				new ReadinessReport.SnapshotInfo("live:https://127.0.0.1:6443/", NOW, 0, 1, List.of(), null, false,
						null, null, List.of()),
				new ReadinessReport.Summary(checks.size(), 0, 1, 0, 1, findings.size(), 0, 0), checks, findings,
				List.of(), new ReadinessReport.Versions(null, null, null), null);
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> results(GenericKubernetesResource report) {
		return (List<Map<String, Object>>) report.getAdditionalProperties().get("results");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> properties(Map<String, Object> result) {
		return (Map<String, String>) result.get("properties");
	}

	static Map<String, Object> result(List<Map<String, Object>> results, String policy, String rule) {
		List<Map<String, Object>> matching = results.stream()
			.filter(r -> r.get("policy").equals(policy) && (rule == null || rule.equals(r.get("rule"))))
			.toList();
		assertThat(matching).as("results of %s %s", policy, rule).hasSize(1);
		return matching.get(0);
	}

	private static ReadinessReport.CheckReport check(ReadinessReport report, String id) {
		return report.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
	}

	private static Map<String, Object> timestamp(Instant instant) {
		return Map.of("seconds", instant.getEpochSecond(), "nanos", instant.getNano());
	}

	private static Map<String, Object> ordered(Object... keysAndValues) {
		Map<String, Object> map = new java.util.LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

}
