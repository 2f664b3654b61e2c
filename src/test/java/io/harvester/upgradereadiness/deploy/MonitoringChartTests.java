package io.harvester.upgradereadiness.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.harvester.upgradereadiness.system.ExportedMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chart's monitoring objects: the ServiceMonitor, the PrometheusRule (the alerts of docs/operations.md) and the
 * Grafana dashboard ConfigMap, each behind metrics.*.enabled = auto | true | false. Every alert expression and every
 * dashboard query is checked against the metric names, labels and label values the service really exports (scraped
 * from a registry the service's own metric classes fill), and with promtool where it is installed.
 * <p>
 * helm-java (Helm 3.21 embedded) cannot pass API versions to {@code helm template} (there is no
 * {@code --api-versions}), so "auto" is tested where the cluster does not serve monitoring.coreos.com/v1 (the default
 * capabilities of a client-only render: nothing rendered), and "serves it" through {@code true}; the template tests
 * {@code .Capabilities.APIVersions.Has "monitoring.coreos.com/v1"} for auto, which Helm answers from the cluster's
 * discovery on a real install.
 */
class MonitoringChartTests {

	private static final Map<String, Object> ALL_ON = Map.of("metrics.serviceMonitor.enabled", true,
			"metrics.prometheusRule.enabled", true, "metrics.grafanaDashboard.enabled", true);

	/** Labels Prometheus puts on every target (and the chart's relabelled cluster). */
	private static final Set<String> TARGET_LABELS = Set.of("cluster", "job", "instance", "namespace", "pod",
			"service", "container", "endpoint");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path temp;

	// ---- auto, true, false --------------------------------------------------------------------------------

	@Test
	void autoRendersNoMonitoringObjectWhereTheClusterDoesNotServeMonitoringCoreosComV1() {
		assertThat(kinds(Chart.render(Map.of()))).doesNotContain("ServiceMonitor", "PrometheusRule");
		assertThat(dashboards(Chart.render(Map.of()))).isEmpty();
	}

	@Test
	void trueRendersEachObjectAndFalseNone() {
		List<HasMetadata> on = Chart.render(ALL_ON);
		assertThat(kinds(on)).contains("ServiceMonitor", "PrometheusRule");
		assertThat(dashboards(on)).hasSize(1);

		List<HasMetadata> off = Chart.render(Map.of("metrics.serviceMonitor.enabled", false,
				"metrics.prometheusRule.enabled", false, "metrics.grafanaDashboard.enabled", false));
		assertThat(kinds(off)).doesNotContain("ServiceMonitor", "PrometheusRule");
		assertThat(dashboards(off)).isEmpty();

		List<HasMetadata> onlyRules = Chart.render(Map.of("metrics.prometheusRule.enabled", true));
		assertThat(kinds(onlyRules)).contains("PrometheusRule").doesNotContain("ServiceMonitor");
		assertThat(dashboards(onlyRules)).isEmpty();
	}

	@Test
	void anyOtherSwitchValueIsRefused() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> Chart.template(Chart.NAMESPACE, Map.of("metrics.serviceMonitor.enabled", "yes")))
			.hasMessageContaining("schema");
	}

	@Test
	void lintStrictPassesWithEveryMonitoringObjectAndPublishing() {
		Path chart = Chart.copyWithValues(this.temp, Map.of("metrics.serviceMonitor.enabled", true,
				"metrics.prometheusRule.enabled", true, "metrics.grafanaDashboard.enabled", true,
				"metrics.clusterName", "c-m-abc", "publish.openReports.enabled", true));
		com.marcnuri.helm.LintResult result = new com.marcnuri.helm.Helm(chart).lint().strict().call();
		assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
	}

	// ---- ServiceMonitor ---------------------------------------------------------------------------------------

	@Test
	void theServiceMonitorScrapesThePrometheusEndpointAndLabelsEverySeriesWithTheCluster() {
		Map<String, Object> spec = spec(one(Chart.render(Map.of("metrics.serviceMonitor.enabled", true,
				"metrics.clusterName", "c-m-abc")), "ServiceMonitor"));

		assertThat(spec.get("selector")).isEqualTo(Map.of("matchLabels",
				Map.of("app.kubernetes.io/name", "harvester-upgrade-readiness", "app.kubernetes.io/instance",
						"upgrade-readiness")));
		assertThat(spec.get("namespaceSelector")).isEqualTo(Map.of("matchNames", List.of("harvester-system")));
		Map<String, Object> endpoint = only(spec.get("endpoints"));
		assertThat(endpoint).containsEntry("port", "http")
			.containsEntry("path", "/actuator/prometheus")
			.containsEntry("interval", "60s")
			.doesNotContainKey("bearerTokenFile");
		assertThat(endpoint.get("relabelings"))
			.isEqualTo(List.of(Map.of("action", "replace", "targetLabel", "cluster", "replacement", "c-m-abc")));

		Map<String, Object> unnamed = only(spec(one(Chart.render(Map.of("metrics.serviceMonitor.enabled", true)),
				"ServiceMonitor")).get("endpoints"));
		assertThat(unnamed).as("no cluster name: no label").doesNotContainKey("relabelings");
		Map<String, Object> secured = only(spec(one(Chart.render(Map.of("metrics.serviceMonitor.enabled", true,
				"security.mode", "kubernetes")), "ServiceMonitor")).get("endpoints"));
		assertThat(secured).containsEntry("bearerTokenFile", "/var/run/secrets/kubernetes.io/serviceaccount/token");
	}

	// ---- PrometheusRule ---------------------------------------------------------------------------------------

	@Test
	void thePrometheusRuleHoldsExactlyTheAlertsOfTheOperationsGuideWithPrometheusTemplatesLeftIntact()
			throws IOException {
		List<Object> groups = ruleGroups();

		assertThat(groups).isEqualTo(documentedGroups());
		assertThat(alerts(groups)).extracting(a -> a.get("annotations"))
			.anySatisfy(a -> assertThat(a.toString()).contains("{{ $value }} blocking findings"))
			.anySatisfy(a -> assertThat(a.toString()).contains("{{ $labels.resource }}"));
	}

	@Test
	void everyAlertExpressionUsesOnlyMetricsLabelsAndValuesTheServiceExports() {
		Exported exported = Exported.scrape();
		List<Map<String, Object>> alerts = alerts(ruleGroups());
		assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
		for (Map<String, Object> alert : alerts) {
			assertThat(problems((String) alert.get("expr"), exported)).as("%s: %s", alert.get("alert"), alert.get("expr"))
				.isEmpty();
		}
	}

	@Test
	void promtoolAcceptsTheRulesAndTheirAlertsFireWithTheExpectedText() throws Exception {
		assumeTrue(promtool() != null, "promtool is not installed (Debian package prometheus; .ci/run installs it)");
		Path rules = this.temp.resolve("rules.yaml");
		Files.writeString(rules, new Yaml().dump(Map.of("groups", ruleGroups())));
		assertThat(run(promtool(), "check", "rules", rules.toString())).startsWith("0:");

		Path tests = this.temp.resolve("tests.yaml");
		Files.writeString(tests, """
				rule_files: [rules.yaml]
				evaluation_interval: 1m
				tests:
				  - interval: 1m
				    input_series:
				      - series: 'upgrade_readiness_blocking_findings{cluster="c-m-1",job="upgrade-readiness"}'
				        values: '6x40'
				      - series: 'upgrade_readiness_verdict{cluster="c-m-1",job="upgrade-readiness",state="NOT_READY"}'
				        values: '1x40'
				      - series: 'upgrade_readiness_verdict{cluster="c-m-1",job="upgrade-readiness",state="READY"}'
				        values: '0x40'
				      - series: 'upgrade_readiness_snapshot_kind_forbidden{cluster="c-m-1",job="upgrade-readiness",resource="clusters.cluster.x-k8s.io"}'
				        values: '1x40'
				      - series: 'upgrade_readiness_openreports_writes_total{cluster="c-m-1",job="upgrade-readiness",result="forbidden"}'
				        values: '0+1x40'
				      - series: 'upgrade_readiness_openreports_writes_total{cluster="c-m-1",job="upgrade-readiness",result="ok"}'
				        values: '1x40'
				    alert_rule_test:
				      - eval_time: 29m
				        alertname: HarvesterUpgradeBlocked
				        exp_alerts: []
				      - eval_time: 31m
				        alertname: HarvesterUpgradeBlocked
				        exp_alerts:
				          - exp_labels: {severity: warning, cluster: c-m-1, job: upgrade-readiness}
				            exp_annotations:
				              summary: "The cluster cannot be upgraded: 6 blocking findings"
				              description: "GET the service's /api/v1/upgrade-readiness (Accept: text/plain) for the findings and their fixes."
				      - eval_time: 11m
				        alertname: HarvesterUpgradeReadinessForbidden
				        exp_alerts:
				          - exp_labels: {severity: warning, cluster: c-m-1, job: upgrade-readiness, resource: clusters.cluster.x-k8s.io}
				            exp_annotations:
				              summary: "The service account may not list clusters.cluster.x-k8s.io: some checks cannot run"
				      - eval_time: 40m
				        alertname: HarvesterUpgradeReadinessReportWritesFailing
				        exp_alerts:
				          - exp_labels: {severity: warning, cluster: c-m-1, job: upgrade-readiness}
				            exp_annotations:
				              summary: "The OpenReports Report cannot be written (forbidden, conflict or error): see the openReports details of /actuator/health/readiness"
				""");
		assertThat(run(promtool(), "test", "rules", tests.toString())).startsWith("0:");
	}

	// ---- Grafana dashboard ------------------------------------------------------------------------------------

	@Test
	void theDashboardIsAConfigMapRancherMonitoringLoadsWithAFixedUidAndAClusterVariable() {
		ConfigMap configMap = dashboards(Chart.render(ALL_ON)).get(0);
		assertThat(configMap.getMetadata().getNamespace()).isEqualTo("cattle-dashboards");
		assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
		assertThat(configMap.getMetadata().getName()).isEqualTo("upgrade-readiness-harvester-system-dashboard");
		JsonNode dashboard = dashboard(configMap);

		assertThat(dashboard.get("uid").asString()).isEqualTo("harvester-upgrade-readiness-1");
		Map<String, JsonNode> variables = new LinkedHashMap<>();
		dashboard.get("templating").get("list").forEach(v -> variables.put(v.get("name").asString(), v));
		assertThat(variables).containsKeys("datasource", "cluster");
		assertThat(variables.get("datasource").get("type").asString()).isEqualTo("datasource");
		assertThat(variables.get("datasource").get("query").asString()).isEqualTo("prometheus");
		assertThat(variables.get("cluster").get("definition").asString())
			.isEqualTo("label_values(upgrade_readiness_ready, cluster)");
		assertThat(variables.get("cluster").get("includeAll").asBoolean()).isTrue();
		assertThat(titles(dashboard)).contains("Verdict per cluster", "Blocking findings by check", "Snapshot age",
				"Staleness (watches lost)");
		for (JsonNode panel : dashboard.get("panels")) {
			assertThat(panel.get("datasource").get("uid").asString()).isEqualTo("${datasource}");
			for (JsonNode target : panel.get("targets")) {
				assertThat(target.get("expr").asString()).as(panel.get("title").asString())
					.contains("cluster=~\"$cluster\"");
			}
		}
		assertThat(Chart.render(Map.of("metrics.grafanaDashboard.enabled", true,
				"metrics.grafanaDashboard.namespace", "monitoring")))
			.filteredOn(o -> o instanceof ConfigMap c && c.getMetadata().getLabels().containsKey("grafana_dashboard"))
			.singleElement()
			.satisfies(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("monitoring"));
	}

	@Test
	void everyDashboardQueryUsesOnlyMetricsLabelsAndValuesTheServiceExports() {
		Exported exported = Exported.scrape();
		JsonNode dashboard = dashboard(dashboards(Chart.render(ALL_ON)).get(0));
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : dashboard.get("panels")) {
			panel.get("targets").forEach(t -> queries.add(t.get("expr").asString()));
		}
		dashboard.get("templating").get("list").forEach(v -> {
			if (v.has("definition")) {
				queries.add(v.get("definition").asString());
			}
		});
		assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
		for (String query : queries) {
			assertThat(problems(query, exported)).as(query).isEmpty();
		}
	}

	@Test
	void theQueryCheckRefusesUnknownMetricsLabelsAndValues() {
		Exported exported = Exported.scrape();
		assertThat(problems("upgrade_readiness_verdict{state=\"NOT_READY\"} == 1", exported)).isEmpty();
		assertThat(problems("upgrade_readiness_verdikt == 1", exported)).containsExactly("no metric upgrade_readiness_verdikt");
		assertThat(problems("upgrade_readiness_verdict{state=\"READDY\"} == 1", exported))
			.containsExactly("upgrade_readiness_verdict never has state=\"READDY\"");
		assertThat(problems("upgrade_readiness_ready{verdict=\"READY\"}", exported))
			.containsExactly("upgrade_readiness_ready has no label verdict");
		assertThat(problems("max by (clustr) (upgrade_readiness_ready)", exported))
			.containsExactly("by (clustr): no such label");
		assertThat(problems("up == 0", exported)).containsExactly("no upgrade_readiness_ metric");
	}

	// ---- checking queries ---------------------------------------------------------------------------------------

	/** The metric samples of a scrape: name and labels. */
	record Exported(Map<String, List<Map<String, String>>> samples) {

		static Exported scrape() {
			Map<String, List<Map<String, String>>> samples = new HashMap<>();
			Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+$");
			Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
			for (String line : ExportedMetrics.scrape().lines().toList()) {
				Matcher matcher = sample.matcher(line);
				if (line.startsWith("#") || !matcher.matches()) {
					continue;
				}
				Map<String, String> labels = new HashMap<>();
				if (matcher.group(3) != null) {
					Matcher labelMatcher = label.matcher(matcher.group(3));
					while (labelMatcher.find()) {
						labels.put(labelMatcher.group(1), labelMatcher.group(2));
					}
				}
				samples.computeIfAbsent(matcher.group(1), k -> new ArrayList<>()).add(labels);
			}
			return new Exported(samples);
		}

	}

	private static final Pattern SELECTOR = Pattern.compile("\\b(upgrade_readiness_[a-z_]+)(\\{([^}]*)})?");

	private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

	private static final Pattern GROUPING = Pattern.compile("\\b(by|without|ignoring|on)\\s*\\(([^)]*)\\)");

	/** What in a query names something the service does not export; empty when everything exists. */
	static List<String> problems(String query, Exported exported) {
		List<String> problems = new ArrayList<>();
		Set<String> labels = new HashSet<>(TARGET_LABELS);
		Matcher selector = SELECTOR.matcher(query);
		int metrics = 0;
		while (selector.find()) {
			metrics++;
			String name = selector.group(1);
			List<Map<String, String>> samples = exported.samples().get(name);
			if (samples == null) {
				problems.add("no metric " + name);
				continue;
			}
			samples.forEach(s -> labels.addAll(s.keySet()));
			if (selector.group(3) == null) {
				continue;
			}
			Matcher matcher = MATCHER.matcher(selector.group(3));
			while (matcher.find()) {
				String label = matcher.group(1);
				String value = matcher.group(3);
				if (TARGET_LABELS.contains(label)) {
					continue;
				}
				if (samples.stream().noneMatch(s -> s.containsKey(label))) {
					problems.add(name + " has no label " + label);
				}
				else if (!matcher.group(2).equals("=~") && !matcher.group(2).equals("!~")
						&& samples.stream().noneMatch(s -> value.equals(s.get(label)))) {
					problems.add(name + " never has " + label + "=\"" + value + "\"");
				}
			}
		}
		if (metrics == 0) {
			problems.add("no upgrade_readiness_ metric");
		}
		Matcher grouping = GROUPING.matcher(query);
		while (grouping.find()) {
			for (String label : grouping.group(2).split(",")) {
				if (!label.isBlank() && !labels.contains(label.strip())) {
					problems.add(grouping.group(1) + " (" + label.strip() + "): no such label");
				}
			}
		}
		Matcher labelValues = Pattern.compile("label_values\\([a-z_]+,\\s*([a-z_]+)\\)").matcher(query);
		while (labelValues.find()) {
			if (!labels.contains(labelValues.group(1))) {
				problems.add("label_values of " + labelValues.group(1) + ": no such label");
			}
		}
		return problems;
	}

	// ---- helpers ----------------------------------------------------------------------------------------------

	static List<Object> ruleGroups() {
		return castList(spec(one(Chart.render(Map.of("metrics.prometheusRule.enabled", true)), "PrometheusRule"))
			.get("groups"));
	}

	/** The YAML block of docs/operations.md that follows "Example alert rules". */
	static List<Object> documentedGroups() throws IOException {
		String docs = Files.readString(Path.of("docs/operations.md"));
		int start = docs.indexOf("```yaml", docs.indexOf("Alert rules (PrometheusRule `spec.groups`"));
		assertThat(start).as("the alert rules block of docs/operations.md").isPositive();
		int end = docs.indexOf("```", start + 7);
		return castList(new Yaml().load(docs.substring(start + 7, end)));
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> alerts(List<Object> groups) {
		List<Map<String, Object>> alerts = new ArrayList<>();
		for (Object group : groups) {
			alerts.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
		}
		return alerts;
	}

	private static List<String> kinds(List<HasMetadata> objects) {
		return objects.stream().map(HasMetadata::getKind).toList();
	}

	private static List<ConfigMap> dashboards(List<HasMetadata> objects) {
		return Chart.all(objects, ConfigMap.class)
			.stream()
			.filter(c -> c.getMetadata().getLabels() != null && c.getMetadata().getLabels().containsKey("grafana_dashboard"))
			.toList();
	}

	private static JsonNode dashboard(ConfigMap configMap) {
		assertThat(configMap.getData()).containsOnlyKeys("harvester-upgrade-readiness.json");
		return JSON.readTree(configMap.getData().get("harvester-upgrade-readiness.json"));
	}

	private static List<String> titles(JsonNode dashboard) {
		List<String> titles = new ArrayList<>();
		dashboard.get("panels").forEach(p -> titles.add(p.get("title").asString()));
		return titles;
	}

	private static HasMetadata one(List<HasMetadata> objects, String kind) {
		List<HasMetadata> found = objects.stream().filter(o -> kind.equals(o.getKind())).toList();
		assertThat(found).as(kind).hasSize(1);
		assertThat(found.get(0).getMetadata().getNamespace()).isEqualTo("harvester-system");
		return found.get(0);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> spec(HasMetadata object) {
		assertThat(object).isInstanceOf(GenericKubernetesResource.class);
		return (Map<String, Object>) ((GenericKubernetesResource) object).getAdditionalProperties().get("spec");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> only(Object list) {
		List<Object> items = (List<Object>) list;
		assertThat(items).hasSize(1);
		return (Map<String, Object>) items.get(0);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> castList(Object list) {
		return (List<Object>) list;
	}

	private static String promtool() {
		for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
			Path candidate = Path.of(dir, "promtool");
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	/** Runs a command; returns "exit code: output". */
	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return process.exitValue() + ": " + output;
	}

}
