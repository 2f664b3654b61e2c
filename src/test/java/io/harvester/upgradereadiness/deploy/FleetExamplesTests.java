package io.harvester.upgradereadiness.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Fleet and hub examples of docs/fleet.md, as files in deploy/fleet: parsed and checked for the fields Fleet and
 * Prometheus need (no Fleet runs here). Their chart values, with Fleet's templating filled in as Fleet would for one
 * cluster, are rendered by the chart, so a value the chart does not know (or the schema refuses) fails here.
 */
class FleetExamplesTests {

	static final Path FLEET = Path.of("deploy/fleet");

	static final Map<String, Object> HARVESTER = Map.of("matchLabels", Map.of("provider.cattle.io", "harvester"));

	@TempDir
	Path temp;

	@Test
	void theHelmOpTargetsEveryHarvesterClusterAndRollsOutInPartitions() throws IOException {
		Map<String, Object> helmOp = yaml(FLEET.resolve("helmop.yaml"));
		assertThat(helmOp).containsEntry("apiVersion", "fleet.cattle.io/v1alpha1").containsEntry("kind", "HelmOp");
		assertThat(map(helmOp, "metadata")).containsEntry("namespace", "fleet-default");
		Map<String, Object> spec = map(helmOp, "spec");
		assertThat(spec).containsEntry("namespace", "harvester-system");
		Map<String, Object> helm = map(spec, "helm");
		assertThat((String) helm.get("repo")).startsWith("oci://");
		assertThat(helm).containsKeys("version").containsEntry("releaseName", "upgrade-readiness");
		assertThat(list(spec, "targets")).singleElement()
			.satisfies(target -> assertThat(((Map<?, ?>) target).get("clusterSelector")).isEqualTo(HARVESTER));
		assertPartitionedRollout(map(spec, "rolloutStrategy"));
		assertThat(map(map(helm, "values"), "metrics")).containsEntry("clusterName", "${ .ClusterName }");
	}

	@Test
	void theGitRepoPointsAtTheFleetYamlWhichTargetsHarvesterAndRollsOutInPartitions() throws IOException {
		Map<String, Object> gitRepo = yaml(FLEET.resolve("gitrepo/gitrepo.yaml"));
		assertThat(gitRepo).containsEntry("apiVersion", "fleet.cattle.io/v1alpha1").containsEntry("kind", "GitRepo");
		assertThat(map(gitRepo, "metadata")).containsEntry("namespace", "fleet-default");
		Map<String, Object> spec = map(gitRepo, "spec");
		assertThat(spec).containsKeys("repo", "branch");
		assertThat(list(spec, "paths")).containsExactly("deploy/fleet/gitrepo");
		assertThat(Path.of((String) list(spec, "paths").get(0)).resolve("fleet.yaml")).isRegularFile();
		assertThat(list(spec, "targets")).singleElement()
			.satisfies(target -> assertThat(((Map<?, ?>) target).get("clusterSelector")).isEqualTo(HARVESTER));

		Map<String, Object> fleet = yaml(FLEET.resolve("gitrepo/fleet.yaml"));
		assertThat(fleet).containsEntry("defaultNamespace", "harvester-system");
		Map<String, Object> helm = map(fleet, "helm");
		assertThat(helm).containsKeys("repo", "version").containsEntry("releaseName", "upgrade-readiness");
		assertThat(map(map(helm, "values"), "metrics")).containsEntry("clusterName",
				"${ index .ClusterLabels \"management.cattle.io/cluster-display-name\" }");
		assertThat(list(fleet, "targetCustomizations")).allSatisfy(customization -> assertThat(
				((Map<?, ?>) ((Map<?, ?>) customization).get("clusterSelector")).get("matchLabels").toString())
			.contains("provider.cattle.io=harvester"));
		assertPartitionedRollout(map(fleet, "rolloutStrategy"));
	}

	@Test
	void theirValuesWithFleetsTemplatingFilledInRenderWithTheChart() throws IOException {
		Map<String, Object> helmOpValues = map(map(map(yaml(FLEET.resolve("helmop.yaml")), "spec"), "helm"), "values");
		Map<String, Object> fleetValues = map(map(yaml(FLEET.resolve("gitrepo/fleet.yaml")), "helm"), "values");
		Map<String, Object> airgapped = map(map((Map<String, Object>) list(yaml(FLEET.resolve("gitrepo/fleet.yaml")),
				"targetCustomizations").get(0), "helm"), "values");

		for (Map<String, Object> values : List.of(helmOpValues, fleetValues, airgapped)) {
			String filled = fleetTemplated(new Yaml().dump(values), "harvester-prod-1");
			Path file = this.temp.resolve("values-" + System.nanoTime() + ".yaml");
			Files.writeString(file, filled);
			List<HasMetadata> objects = Chart.renderWithValuesFile(file);
			assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment");
			if (values != airgapped) {
				assertThat(env(objects)).containsEntry("UPGRADE_READINESS_PUBLISH_OPEN_REPORTS_ENABLED", "true");
				assertThat(Chart.all(objects, Role.class)).extracting(r -> r.getMetadata().getName())
					.contains("upgrade-readiness-openreports");
			}
		}
		// With the monitoring switches forced on, the templated cluster name is the ServiceMonitor's cluster label.
		Path forced = this.temp.resolve("forced.yaml");
		Files.writeString(forced, fleetTemplated(new Yaml().dump(helmOpValues), "harvester-prod-1")
			.replace("enabled: auto", "enabled: true"));
		GenericKubernetesResource monitor = Chart.renderWithValuesFile(forced)
			.stream()
			.filter(o -> o.getKind().equals("ServiceMonitor"))
			.map(GenericKubernetesResource.class::cast)
			.findFirst()
			.orElseThrow();
		assertThat(monitor.getAdditionalProperties().toString()).contains("targetLabel=cluster")
			.contains("replacement=harvester-prod-1");
	}

	@Test
	void theHubScrapeJobReachesEachClusterThroughRancherAndPromtoolAcceptsIt() throws Exception {
		Map<String, Object> config = yaml(FLEET.resolve("hub/prometheus-scrape.yaml"));
		Map<String, Object> job = (Map<String, Object>) list(config, "scrape_configs").get(0);
		assertThat(job).containsEntry("scheme", "https");
		assertThat(map(job, "authorization")).containsKey("credentials_file");
		assertThat(list(job, "static_configs")).allSatisfy(target -> assertThat(((Map<?, ?>) target).get("labels"))
			.asString()
			.contains("cluster_id=").contains("cluster="));
		Map<String, Object> relabel = (Map<String, Object>) list(job, "relabel_configs").get(0);
		assertThat(relabel).containsEntry("target_label", "__metrics_path__")
			.containsEntry("replacement", "/k8s/clusters/${1}/api/v1/namespaces/harvester-system/services/"
					+ "http:upgrade-readiness:8080/proxy/actuator/prometheus");

		Map<String, Object> remoteWrite = map(map(yaml(FLEET.resolve("hub/rancher-monitoring-remote-write.yaml")),
				"prometheus"), "prometheusSpec");
		assertThat(map(remoteWrite, "externalLabels")).containsKey("cluster");
		assertThat(list(remoteWrite, "remoteWrite").toString()).contains("regex=upgrade_readiness_.*")
			.contains("action=keep");

		String promtool = promtool();
		assumeTrue(promtool != null, "promtool is not installed (Debian package prometheus; .ci/run installs it)");
		Path token = Files.writeString(this.temp.resolve("rancher-token"), "token-abcde:secret\n");
		Path copy = Files.writeString(this.temp.resolve("prometheus.yml"), Files.readString(
				FLEET.resolve("hub/prometheus-scrape.yaml")).replace("/etc/prometheus/rancher-token", token.toString()));
		Process process = new ProcessBuilder(promtool, "check", "config", copy.toString()).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	private static void assertPartitionedRollout(Map<String, Object> rollout) {
		assertThat(rollout).containsKey("maxUnavailable");
		List<Object> partitions = list(rollout, "partitions");
		assertThat(partitions).hasSizeGreaterThanOrEqualTo(2);
		assertThat(((Map<?, ?>) partitions.get(0)).get("name")).isEqualTo("canary");
		assertThat(partitions).allSatisfy(p -> assertThat(((Map<?, ?>) ((Map<?, ?>) p).get("clusterSelector"))
			.get("matchLabels").toString()).contains("provider.cattle.io=harvester"));
	}

	/** Fleet's ${ } templating, as it is filled in for one cluster named {@code name}. */
	private static String fleetTemplated(String yaml, String name) {
		Matcher matcher = Pattern.compile("\\$\\{ [^}]+ }").matcher(yaml);
		assertThat(yaml).doesNotContain("{{");
		return matcher.replaceAll(name);
	}

	private static Map<String, String> env(List<HasMetadata> objects) {
		Map<String, String> env = new java.util.HashMap<>();
		for (EnvVar var : Chart.one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
			.getEnv()) {
			env.put(var.getName(), var.getValue());
		}
		return env;
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		return new Yaml().load(Files.readString(file));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (List<Object>) parent.get(key);
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

}
