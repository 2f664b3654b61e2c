package io.harvester.upgradereadiness.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.SnapshotProperties;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.publish.OpenReportsProperties;
import io.harvester.upgradereadiness.report.AcknowledgementProperties;
import io.harvester.upgradereadiness.report.ChecksProperties;
import io.harvester.upgradereadiness.system.security.CorsProperties;
import io.harvester.upgradereadiness.system.security.SecurityProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart, linted and rendered by the Helm library (helm-java) and checked as typed objects: the RBAC it
 * grants is exactly what the service reads (computed from {@link WatchedKind}, so a new kind without a chart update
 * fails here), the pod is locked down, and its environment binds to the service's configuration properties.
 */
class HelmChartTests {

	private static final Map<String, Object> DEFAULTS = Map.of();

	private static final Map<String, Object> OPT_IN = Map.of("checks.nodeDiskHeadroom.enabled", true);

	private static final Map<String, Object> SECURED = Map.of("security.mode", "kubernetes");

	/** The only write verb the service account may ever hold: create, on these two reviews, with security on. */
	private static final Set<Grant> REVIEWS = Set.of(
			new Grant("*", "authentication.k8s.io", "tokenreviews", "create"),
			new Grant("*", "authorization.k8s.io", "subjectaccessreviews", "create"));

	private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

	/** One right: verb on resource of apiGroup, cluster-wide ({@code scope} "*") or in one namespace. */
	record Grant(String scope, String apiGroup, String resource, String verb) {

		@Override
		public String toString() {
			return this.verb + " " + (this.apiGroup.isEmpty() ? "" : this.apiGroup + "/") + this.resource + " in "
					+ this.scope;
		}

	}

	@TempDir
	Path temp;

	// ---- helm lint --strict -------------------------------------------------------------------------------

	@Test
	void lintStrictPassesWithDefaultValues() {
		assertLintPasses(Chart.PATH);
	}

	@Test
	void lintStrictPassesWithOptInValues() {
		assertLintPasses(Chart.copyWithValues(this.temp, Map.of("checks.nodeDiskHeadroom.enabled", true,
				"global.cattle.systemDefaultRegistry", "registry.example.com", "checks.targetVersion", "v1.5.1")));
	}

	@Test
	void lintStrictPassesWithSecurityCorsAndAcknowledgements() {
		assertLintPasses(Chart.copyWithValues(this.temp,
				Map.of("security.mode", "kubernetes", "security.readers",
						List.of(Map.of("kind", "Group", "apiGroup", "rbac.authorization.k8s.io", "name", "operators")),
						"cors.allowedOrigins", List.of("https://rancher.example.com"), "acknowledgements.rules",
						List.of(Map.of("check", "pods-ready", "reason", "known", "labelSelector",
								Map.of("matchLabels", Map.of("app.kubernetes.io/name", "grafana")))))));
	}

	@Test
	void lintStrictPassesWithoutRbacAndWithAnExistingServiceAccount() {
		assertLintPasses(Chart.copyWithValues(this.temp,
				Map.of("rbac.create", false, "serviceAccount.create", false, "serviceAccount.name", "readers")));
	}

	private static void assertLintPasses(Path chart) {
		LintResult result = new Helm(chart).lint().strict().call();
		assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
	}

	/**
	 * Every key of values.yaml has a comment right above it, or is a group whose first entry has one; the
	 * contents of resources and rbac.readResources are their documented values.
	 */
	@Test
	void everyValueIsCommented() throws java.io.IOException {
		List<String> lines = java.nio.file.Files.readAllLines(Chart.PATH.resolve("values.yaml"));
		java.util.regex.Pattern key = java.util.regex.Pattern.compile("^( *)([A-Za-z][A-Za-z0-9]*):(.*)$");
		int skipDeeperThan = -1;
		List<String> undocumented = new java.util.ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			java.util.regex.Matcher matcher = key.matcher(lines.get(i));
			if (!matcher.matches()) {
				continue;
			}
			int indent = matcher.group(1).length();
			if (skipDeeperThan >= 0 && indent > skipDeeperThan) {
				continue;
			}
			skipDeeperThan = Set.of("resources", "readResources").contains(matcher.group(2)) ? indent : -1;
			boolean commented = i > 0 && lines.get(i - 1).strip().startsWith("#");
			boolean group = matcher.group(3).isBlank() && i + 1 < lines.size()
					&& lines.get(i + 1).strip().startsWith("#");
			if (!commented && !group) {
				undocumented.add(lines.get(i).strip());
			}
		}
		assertThat(undocumented).as("values without a comment").isEmpty();
	}

	// ---- RBAC -------------------------------------------------------------------------------------------------

	@Test
	void defaultRbacGrantsExactlyTheWatchedKindsAndTheApiServerEndpointSlices() {
		assertThat(grants(Chart.render(DEFAULTS))).containsExactlyInAnyOrderElementsOf(expectedGrants(false));
	}

	@Test
	void optInRbacAddsGetOnNodesProxyAndNothingElse() {
		Set<Grant> granted = grants(Chart.render(OPT_IN));
		assertThat(granted).containsExactlyInAnyOrderElementsOf(expectedGrants(true));
		assertThat(granted).contains(new Grant("*", "", "nodes/proxy", "get"));
		assertThat(grants(Chart.render(DEFAULTS))).noneMatch(g -> g.resource().contains("/"));
	}

	@Test
	void securityModeKubernetesAddsCreateOnExactlyTheTwoReviewsAndNothingElse() {
		Set<Grant> granted = grants(Chart.render(SECURED));

		Set<Grant> expected = new HashSet<>(expectedGrants(false));
		expected.addAll(REVIEWS);
		assertThat(granted).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(granted).filteredOn(g -> !READ_VERBS.contains(g.verb())).containsExactlyInAnyOrderElementsOf(REVIEWS);
		assertThat(grants(Chart.render(DEFAULTS))).as("not without the mode").doesNotContainAnyElementsOf(REVIEWS);
		assertThat(grants(Chart.render(OPT_IN))).doesNotContainAnyElementsOf(REVIEWS);
	}

	@Test
	void securityModeKubernetesShipsTheReaderClusterRoleBoundOnlyToTheGivenReaders() {
		List<HasMetadata> secured = Chart.render(SECURED);
		ClusterRole reader = readerRole(secured);
		assertThat(reader.getMetadata().getName()).isEqualTo("upgrade-readiness-harvester-system-reader");
		assertThat(reader.getRules()).singleElement().satisfies(rule -> {
			assertThat(rule.getNonResourceURLs()).containsExactly("/api/v1/upgrade-readiness", "/api/v1/checks");
			assertThat(rule.getVerbs()).containsExactly("get");
			assertThat(rule.getResources()).isNullOrEmpty();
			assertThat(rule.getApiGroups()).isNullOrEmpty();
		});
		assertThat(Chart.all(secured, ClusterRoleBinding.class))
			.noneMatch(binding -> binding.getRoleRef().getName().equals(reader.getMetadata().getName()));
		assertThat(Chart.all(Chart.render(DEFAULTS), ClusterRole.class)).hasSize(1);

		Subject operators = new Subject("rbac.authorization.k8s.io", "Group", "operators", null);
		List<HasMetadata> bound = Chart.render(Map.of("security.mode", "kubernetes", "security.readers[0].kind", "Group",
				"security.readers[0].apiGroup", "rbac.authorization.k8s.io", "security.readers[0].name", "operators"));
		ClusterRoleBinding binding = Chart.all(bound, ClusterRoleBinding.class)
			.stream()
			.filter(b -> b.getRoleRef().getName().equals(reader.getMetadata().getName()))
			.collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
					list -> list.size() == 1 ? list.get(0) : null));
		assertThat(binding).isNotNull();
		assertThat(binding.getSubjects()).containsExactly(operators);
		assertThat(Chart.render(Map.of("security.mode", "kubernetes", "rbac.create", false))).extracting(HasMetadata::getKind)
			.doesNotContain("ClusterRole", "ClusterRoleBinding");
	}

	@Test
	void publishingOpenReportsAddsGetCreateUpdatePatchOnReportsInTheReleaseNamespaceOnly() {
		Set<Grant> granted = grants(Chart.render("upgrade-tools", Map.of("publish.openReports.enabled", true)));

		Set<Grant> writes = Set.of(new Grant("upgrade-tools", "openreports.io", "reports", "get"),
				new Grant("upgrade-tools", "openreports.io", "reports", "create"),
				new Grant("upgrade-tools", "openreports.io", "reports", "update"),
				new Grant("upgrade-tools", "openreports.io", "reports", "patch"));
		Set<Grant> expected = new HashSet<>(expectedGrants(false));
		expected.addAll(writes);
		assertThat(granted).containsExactlyInAnyOrderElementsOf(expected);
		for (Map<String, Object> values : List.of(DEFAULTS, OPT_IN, SECURED)) {
			assertThat(grants(Chart.render(values))).as("without publishing: %s", values)
				.noneMatch(g -> g.apiGroup().equals("openreports.io"));
		}
		assertThat(Chart.render(Map.of("publish.openReports.enabled", true, "rbac.create", false)))
			.extracting(HasMetadata::getKind)
			.doesNotContain("Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding");
	}

	@Test
	void everySecurityModeShipsAProxyReaderRoleForExactlyThisServiceBoundOnlyToTheGivenReaders() {
		for (Map<String, Object> values : List.of(DEFAULTS, SECURED)) {
			Role role = proxyReaderRole(Chart.render(values));
			assertThat(role.getMetadata().getNamespace()).isEqualTo("harvester-system");
			assertThat(role.getMetadata().getName()).isEqualTo("upgrade-readiness-proxy-reader");
			assertThat(role.getRules()).singleElement().satisfies(rule -> {
				assertThat(rule.getApiGroups()).containsExactly("");
				assertThat(rule.getResources()).containsExactly("services/proxy");
				assertThat(rule.getResourceNames()).containsExactly("http:upgrade-readiness:8080", "upgrade-readiness:8080");
				assertThat(rule.getVerbs()).containsExactly("get");
			});
			assertThat(Chart.all(Chart.render(values), RoleBinding.class))
				.noneMatch(b -> b.getRoleRef().getName().equals(role.getMetadata().getName()));
		}
		assertThat(proxyReaderRole(Chart.render(Map.of("service.port", 80, "fullnameOverride", "readiness")))
			.getRules().get(0).getResourceNames()).containsExactly("http:readiness:80", "readiness:80");

		List<HasMetadata> bound = Chart.render(Map.of("rbac.proxyReaders[0].kind", "Group",
				"rbac.proxyReaders[0].apiGroup", "rbac.authorization.k8s.io", "rbac.proxyReaders[0].name", "operators"));
		RoleBinding binding = Chart.all(bound, RoleBinding.class)
			.stream()
			.filter(b -> b.getRoleRef().getName().equals("upgrade-readiness-proxy-reader"))
			.findFirst()
			.orElseThrow();
		assertThat(binding.getMetadata().getNamespace()).isEqualTo("harvester-system");
		assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
		assertThat(binding.getSubjects())
			.containsExactly(new Subject("rbac.authorization.k8s.io", "Group", "operators", null));
		assertThat(grants(bound)).as("the service account gains nothing")
			.containsExactlyInAnyOrderElementsOf(expectedGrants(false));
	}

	private static Role proxyReaderRole(List<HasMetadata> objects) {
		List<Role> roles = Chart.all(objects, Role.class)
			.stream()
			.filter(r -> r.getMetadata().getName().endsWith("-proxy-reader"))
			.toList();
		assertThat(roles).hasSize(1);
		return roles.get(0);
	}

	@Test
	void everyRuleIsReadOnlyNamedAndFreeOfSecretsAndWildcards() {
		for (Map<String, Object> values : List.of(DEFAULTS, OPT_IN, SECURED)) {
			List<HasMetadata> objects = Chart.render(values);
			for (PolicyRule rule : rules(objects)) {
				boolean review = rule.getVerbs().equals(List.of("create"));
				if (review) {
					// The one exception, with security.mode kubernetes only: asking the API server about a token.
					assertThat(values).isSameAs(SECURED);
					assertThat(rule.getApiGroups().size() * rule.getResources().size()).isEqualTo(1);
					assertThat(new Grant("*", rule.getApiGroups().get(0), rule.getResources().get(0), "create"))
						.isIn(REVIEWS);
					continue;
				}
				assertThat(rule.getVerbs()).as("verbs of %s", rule).isNotEmpty().isSubsetOf(READ_VERBS);
				assertThat(rule.getResources()).as("resources of %s", rule)
					.isNotEmpty()
					.doesNotContain("secrets", "*")
					.noneMatch(r -> r.startsWith("secrets/"));
				assertThat(rule.getApiGroups()).as("apiGroups of %s", rule).isNotEmpty().doesNotContain("*");
				assertThat(rule.getNonResourceURLs()).as("nonResourceURLs of %s", rule).isNullOrEmpty();
				assertThat(rule.getResourceNames()).as("resourceNames of %s", rule).isNullOrEmpty();
			}
			// The service account's Role lives in default; the proxy reader Role (for callers) in the release namespace.
			assertThat(Chart.all(objects, Role.class)).allSatisfy(role -> assertThat(role.getMetadata().getNamespace())
				.as(role.getMetadata().getName())
				.isEqualTo(role.getMetadata().getName().endsWith("-proxy-reader") ? Chart.NAMESPACE : "default"));
		}
	}

	@Test
	void theRolesAreBoundToThePodsServiceAccount() {
		List<HasMetadata> objects = Chart.render(DEFAULTS);
		Deployment deployment = Chart.one(objects, Deployment.class);
		ServiceAccount account = Chart.one(objects, ServiceAccount.class);
		String accountName = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();

		assertThat(account.getMetadata().getName()).isEqualTo(accountName);
		assertThat(account.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
		Subject expected = new Subject(null, "ServiceAccount", accountName, Chart.NAMESPACE);
		ClusterRoleBinding clusterBinding = Chart.one(objects, ClusterRoleBinding.class);
		assertThat(clusterBinding.getSubjects()).containsExactly(expected);
		assertThat(clusterBinding.getRoleRef()).isEqualTo(new RoleRef("rbac.authorization.k8s.io", "ClusterRole",
				Chart.one(objects, ClusterRole.class).getMetadata().getName()));
		RoleBinding binding = Chart.one(objects, RoleBinding.class);
		assertThat(binding.getSubjects()).containsExactly(expected);
		assertThat(binding.getMetadata().getNamespace()).isEqualTo("default");
		Role endpointSlices = Chart.all(objects, Role.class)
			.stream()
			.filter(r -> r.getMetadata().getNamespace().equals("default"))
			.findFirst()
			.orElseThrow();
		assertThat(binding.getRoleRef()).isEqualTo(new RoleRef("rbac.authorization.k8s.io", "Role",
				endpointSlices.getMetadata().getName()));
		assertThat(Chart.all(objects, Role.class)).extracting(r -> r.getMetadata().getName())
			.as("and the proxy reader Role, for callers, bound to nobody by default")
			.containsExactlyInAnyOrder(endpointSlices.getMetadata().getName(), "upgrade-readiness-proxy-reader");
	}

	@Test
	void withoutRbacNoRoleIsRenderedAndAnExistingServiceAccountIsUsed() {
		List<HasMetadata> objects = Chart
			.render(Map.of("rbac.create", false, "serviceAccount.create", false, "serviceAccount.name", "readers"));
		assertThat(objects).extracting(HasMetadata::getKind)
			.containsExactlyInAnyOrder("Service", "Deployment", "ConfigMap");
		assertThat(Chart.one(objects, Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName())
			.isEqualTo("readers");
	}

	/**
	 * What the service needs, from its own code: get, list and watch on every {@link WatchedKind} (the informers),
	 * list on endpointslices in {@code default} (the certificate probe), get on nodes/proxy when opted in.
	 */
	private static Set<Grant> expectedGrants(boolean nodeDiskHeadroom) {
		Set<Grant> expected = new HashSet<>();
		for (WatchedKind kind : WatchedKind.values()) {
			// The rule the service itself names when a kind is forbidden.
			KindStatus.RbacRule rule = KindStatus.RbacRule.readOnly(kind);
			for (String group : rule.apiGroups()) {
				for (String resource : rule.resources()) {
					rule.verbs().forEach(verb -> expected.add(new Grant("*", group, resource, verb)));
				}
			}
		}
		expected.add(new Grant("default", "discovery.k8s.io", "endpointslices", "list"));
		if (nodeDiskHeadroom) {
			expected.add(new Grant("*", "", "nodes/proxy", "get"));
		}
		return expected;
	}

	/** Every right the rendered roles give, counting only roles that a rendered binding grants. */
	private static Set<Grant> grants(List<HasMetadata> objects) {
		Set<String> boundClusterRoles = Chart.all(objects, ClusterRoleBinding.class)
			.stream()
			.filter(b -> b.getSubjects().stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())))
			.map(b -> b.getRoleRef().getName())
			.collect(Collectors.toSet());
		Set<String> boundRoles = Chart.all(objects, RoleBinding.class)
			.stream()
			.filter(b -> "Role".equals(b.getRoleRef().getKind()))
			.filter(b -> b.getSubjects().stream().anyMatch(subject -> "ServiceAccount".equals(subject.getKind())))
			.map(b -> b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName())
			.collect(Collectors.toSet());
		Set<Grant> grants = new TreeSet<>(java.util.Comparator.comparing(Grant::toString));
		for (ClusterRole role : Chart.all(objects, ClusterRole.class)) {
			if (boundClusterRoles.contains(role.getMetadata().getName())) {
				role.getRules().forEach(rule -> addGrants(grants, "*", rule));
			}
		}
		for (Role role : Chart.all(objects, Role.class)) {
			String namespace = role.getMetadata().getNamespace();
			if (boundRoles.contains(namespace + "/" + role.getMetadata().getName())) {
				role.getRules().forEach(rule -> addGrants(grants, namespace, rule));
			}
		}
		return grants;
	}

	private static void addGrants(Set<Grant> grants, String scope, PolicyRule rule) {
		if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
			rule.getNonResourceURLs().forEach(url -> rule.getVerbs().forEach(verb -> grants.add(new Grant(scope, "", url, verb))));
			return;
		}
		for (String group : rule.getApiGroups()) {
			for (String resource : rule.getResources()) {
				for (String verb : rule.getVerbs()) {
					grants.add(new Grant(scope, group, resource, verb));
				}
			}
		}
	}

	/** The example ClusterRole for readers, rendered with security.mode kubernetes. */
	private static ClusterRole readerRole(List<HasMetadata> objects) {
		List<ClusterRole> readers = Chart.all(objects, ClusterRole.class)
			.stream()
			.filter(role -> role.getMetadata().getName().endsWith("-reader"))
			.toList();
		assertThat(readers).hasSize(1);
		return readers.get(0);
	}

	/** The rules the service account is granted (not the readers' ClusterRole, whose rules are for callers). */
	private static List<PolicyRule> rules(List<HasMetadata> objects) {
		List<PolicyRule> rules = new java.util.ArrayList<>();
		Chart.all(objects, ClusterRole.class)
			.stream()
			.filter(role -> !role.getMetadata().getName().endsWith("-reader"))
			.forEach(r -> rules.addAll(r.getRules()));
		Chart.all(objects, Role.class)
			.stream()
			.filter(role -> !role.getMetadata().getName().endsWith("-proxy-reader"))
			.forEach(r -> rules.addAll(r.getRules()));
		return rules;
	}

	// ---- the pod ----------------------------------------------------------------------------------------------

	@Test
	void probesUseTheLivenessAndReadinessGroupsOnThePortNamedHttp() {
		Container container = container(Chart.render(DEFAULTS));
		assertThat(container.getPorts()).singleElement().satisfies(port -> {
			assertThat(port.getName()).isEqualTo("http");
			assertThat(port.getContainerPort()).isEqualTo(8080);
		});
		assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
		assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
		assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
		assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
	}

	/** A JVM that survives an OutOfMemoryError serves nothing while its probes pass: it must exit. */
	@Test
	void theJvmExitsOnOutOfMemorySoThatKubernetesRestartsThePod() {
		assertThat(env(container(Chart.render(DEFAULTS))).get("JDK_JAVA_OPTIONS")).asString()
			.contains("-XX:+ExitOnOutOfMemoryError");
		assertThat(env(container(Chart.render(Map.of("jvmOptions", "-XX:+ExitOnOutOfMemoryError -Xss512k"))))
			.get("JDK_JAVA_OPTIONS")).isEqualTo("-XX:+ExitOnOutOfMemoryError -Xss512k");
	}

	@Test
	void podRunsAsNonRootOnAReadOnlyRootFilesystemWithTmpOnAnEmptyDir() {
		List<HasMetadata> objects = Chart.render(DEFAULTS);
		PodSpec pod = Chart.one(objects, Deployment.class).getSpec().getTemplate().getSpec();
		PodSecurityContext podSecurity = pod.getSecurityContext();
		assertThat(podSecurity.getRunAsNonRoot()).isTrue();
		assertThat(podSecurity.getRunAsUser()).isEqualTo(65532L);
		assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

		Container container = container(objects);
		SecurityContext security = container.getSecurityContext();
		assertThat(security.getRunAsNonRoot()).isTrue();
		assertThat(security.getRunAsUser()).isEqualTo(65532L);
		assertThat(security.getReadOnlyRootFilesystem()).isTrue();
		assertThat(security.getAllowPrivilegeEscalation()).isFalse();
		assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
		assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
		assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
		assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

		assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath)
			.containsExactly("/tmp", "/etc/upgrade-readiness");
		String volumeName = container.getVolumeMounts().get(0).getName();
		Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals(volumeName)).findFirst().orElseThrow();
		assertThat(tmp.getEmptyDir()).isNotNull();
		assertThat(container.getVolumeMounts().get(1).getReadOnly()).as("the rules are read-only").isTrue();
		assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
		assertThat(pod.getEnableServiceLinks()).isFalse();
	}

	@Test
	void resourcesHaveRequestsAndLimits() {
		Container container = container(Chart.render(DEFAULTS));
		assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
		assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
	}

	@Test
	void everyNamespacedObjectFollowsTheReleaseNamespaceAndTheServiceSelectsThePod() {
		List<HasMetadata> objects = Chart.render("upgrade-tools", DEFAULTS);
		assertThat(objects).filteredOn(o -> !(o instanceof ClusterRole || o instanceof ClusterRoleBinding))
			.filteredOn(o -> !(o instanceof Role || o instanceof RoleBinding))
			.isNotEmpty()
			.allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("upgrade-tools"));
		assertThat(Chart.one(objects, ClusterRoleBinding.class).getSubjects())
			.allSatisfy(s -> assertThat(s.getNamespace()).isEqualTo("upgrade-tools"));

		Service service = Chart.one(objects, Service.class);
		Deployment deployment = Chart.one(objects, Deployment.class);
		assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
			.containsAllEntriesOf(service.getSpec().getSelector());
		assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
			assertThat(port.getName()).isEqualTo("http");
			assertThat(port.getPort()).isEqualTo(8080);
			assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
		});
	}

	@Test
	void imageIsPrefixedWithTheSystemDefaultRegistryWhenSet() {
		Container plain = container(Chart.render(DEFAULTS));
		assertThat(plain.getImage()).isEqualTo("rancher/harvester-upgrade-readiness:0.1.0");
		assertThat(plain.getImagePullPolicy()).isEqualTo("IfNotPresent");

		Container prefixed = container(Chart.render(Map.of("global.cattle.systemDefaultRegistry",
				"registry.example.com:5000", "image.tag", "dev")));
		assertThat(prefixed.getImage()).isEqualTo("registry.example.com:5000/rancher/harvester-upgrade-readiness:dev");
	}

	// ---- configuration ----------------------------------------------------------------------------------------

	@Test
	void defaultEnvironmentBindsToTheServicesDefaults() {
		Binder binder = binder(env(container(Chart.render(DEFAULTS))));
		ChecksProperties checks = binder.bindOrCreate("upgrade-readiness.checks", ChecksProperties.class);
		SnapshotProperties snapshot = binder.bindOrCreate("upgrade-readiness.snapshot", SnapshotProperties.class);

		assertThat(checks).isEqualTo(new Binder().bindOrCreate("upgrade-readiness.checks", ChecksProperties.class));
		assertThat(snapshot)
			.isEqualTo(new Binder().bindOrCreate("upgrade-readiness.snapshot", SnapshotProperties.class));
		assertThat(binder.bindOrCreate("upgrade-readiness.security", SecurityProperties.class))
			.isEqualTo(new Binder().bindOrCreate("upgrade-readiness.security", SecurityProperties.class))
			.extracting(SecurityProperties::mode)
			.isEqualTo(SecurityProperties.Mode.NONE);
		assertThat(binder.bindOrCreate("upgrade-readiness.cors", CorsProperties.class).allowedOrigins()).isEmpty();
		assertThat(binder.bindOrCreate("upgrade-readiness.publish.open-reports", OpenReportsProperties.class))
			.as("off; the Report in the release namespace, where the Role is")
			.isEqualTo(new OpenReportsProperties(false, "harvester-system", "harvester-upgrade-readiness",
					Duration.ofSeconds(30), 500));
	}

	/** Every value changed: each one must reach its property through Spring's relaxed binding of env vars. */
	@Test
	void everyConfigurationValueReachesItsPropertyThroughTheEnvironment() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("checks.targetVersion", "v1.5.1");
		values.put("checks.skipSingleReplicaDetachedVol", true);
		values.put("checks.skipGarbageCollectionThresholdCheck", true);
		values.put("checks.minCertsExpirationInDay", 30);
		values.put("checks.skipVersionCheck", true);
		values.put("checks.nodeDiskHeadroom.enabled", true);
		values.put("snapshot.maxStaleness", "2m");
		values.put("snapshot.discoveryInterval", "45s");
		values.put("snapshot.discoveryRetryInterval", "5s");
		values.put("snapshot.certificateInterval", "1h");
		values.put("snapshot.nodeDiskInterval", "10m");
		values.put("snapshot.probeTimeout", "PT4S");
		values.put("security.mode", "kubernetes");
		values.put("security.cacheTtl", "1m");
		values.put("security.cacheSize", 50);
		values.put("cors.allowedOrigins[0]", "https://rancher.example.com");
		values.put("cors.allowedOrigins[1]", "https://harvester.example.com:8443");
		values.put("publish.openReports.enabled", true);
		values.put("publish.openReports.name", "readiness");
		values.put("publish.openReports.minInterval", "2m");
		values.put("publish.openReports.maxResults", 100);
		values.put("extraEnv[0].name", "UPGRADE_READINESS_SNAPSHOT_PATH");
		values.put("extraEnv[0].value", "/snapshot");
		Binder binder = binder(env(container(Chart.render(values))));

		assertThat(binder.bindOrCreate("upgrade-readiness.checks", ChecksProperties.class))
			.isEqualTo(new ChecksProperties("v1.5.1", true, true, 30, true, new ChecksProperties.NodeDiskHeadroom(true)));
		assertThat(binder.bindOrCreate("upgrade-readiness.snapshot", SnapshotProperties.class))
			.isEqualTo(new SnapshotProperties("/snapshot", Duration.ofSeconds(45), Duration.ofSeconds(5),
					Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofSeconds(4), Duration.ofMinutes(2)));
		assertThat(binder.bindOrCreate("upgrade-readiness.security", SecurityProperties.class)).isEqualTo(
				new SecurityProperties(SecurityProperties.Mode.KUBERNETES, Duration.ofMinutes(1), 50));
		assertThat(binder.bindOrCreate("upgrade-readiness.cors", CorsProperties.class).allowedOrigins())
			.containsExactly("https://rancher.example.com", "https://harvester.example.com:8443");
		assertThat(binder.bindOrCreate("upgrade-readiness.publish.open-reports", OpenReportsProperties.class)).isEqualTo(
				new OpenReportsProperties(true, "harvester-system", "readiness", Duration.ofMinutes(2), 100));
	}

	/** A property added to the service without a chart value (and its env var) fails here. */
	@Test
	void everyConfigurationPropertyHasAnEnvironmentVariable() {
		Set<String> names = env(container(Chart.render(Map.of("checks.targetVersion", "v1.5.1")))).keySet();
		Set<String> expected = new TreeSet<>();
		expected.addAll(envNames("UPGRADE_READINESS_CHECKS", ChecksProperties.class));
		expected.addAll(envNames("UPGRADE_READINESS_SNAPSHOT", SnapshotProperties.class));
		expected.addAll(envNames("UPGRADE_READINESS_SECURITY", SecurityProperties.class));
		expected.addAll(envNames("UPGRADE_READINESS_CORS", CorsProperties.class));
		expected.addAll(envNames("UPGRADE_READINESS_PUBLISH_OPEN_REPORTS", OpenReportsProperties.class));
		// The acknowledgement rules: a file from a ConfigMap, imported (see acknowledgementRules...).
		expected.add("SPRING_CONFIG_IMPORT");
		// The JVM's options (exit on OutOfMemoryError), not a property of the service.
		expected.add("JDK_JAVA_OPTIONS");
		// A snapshot file needs a volume as well: extraEnv and extra volumes, not a value of its own.
		expected.remove("UPGRADE_READINESS_SNAPSHOT_PATH");
		assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
	}

	// ---- acknowledgements -------------------------------------------------------------------------------------

	/**
	 * The rules of the values reach the service as written: the ConfigMap's file, mounted where SPRING_CONFIG_IMPORT
	 * points, binds to the same rules, label keys with dots and slashes included.
	 */
	@Test
	void acknowledgementRulesReachTheServiceThroughTheMountedConfigMap() throws java.io.IOException {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("acknowledgements.rules[0].check", "stale-attached-volumes");
		values.put("acknowledgements.rules[0].kind", "Volume");
		values.put("acknowledgements.rules[0].namespace", "longhorn-system");
		values.put("acknowledgements.rules[0].name", "pvc-9b78");
		values.put("acknowledgements.rules[0].reason", "kept attached: nightly export, \"OPS-1234\"");
		values.put("acknowledgements.rules[0].expires", "2026-12-31");
		values.put("acknowledgements.rules[1].check", "pods-ready");
		values.put("acknowledgements.rules[1].labelSelector.matchLabels.app\\.kubernetes\\.io/name", "grafana");
		values.put("acknowledgements.rules[1].labelSelector.matchLabels.tier", "monitoring");
		values.put("acknowledgements.rules[1].reason", "being replaced");
		List<HasMetadata> objects = Chart.render(values);

		Container container = container(objects);
		String imported = (String) env(container).get("SPRING_CONFIG_IMPORT");
		assertThat(imported).isEqualTo("optional:file:/etc/upgrade-readiness/acknowledgements.yaml");
		VolumeMount mount = container.getVolumeMounts()
			.stream()
			.filter(m -> m.getMountPath().equals("/etc/upgrade-readiness"))
			.findFirst()
			.orElseThrow();
		Volume volume = Chart.one(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes()
			.stream()
			.filter(v -> v.getName().equals(mount.getName()))
			.findFirst()
			.orElseThrow();
		ConfigMap configMap = Chart.one(objects, ConfigMap.class);
		assertThat(volume.getConfigMap().getName()).isEqualTo(configMap.getMetadata().getName());
		assertThat(volume.getConfigMap().getItems()).singleElement()
			.satisfies(item -> assertThat(mount.getMountPath() + "/" + item.getPath())
				.isEqualTo(imported.substring("optional:file:".length())));

		AcknowledgementProperties bound = bindYaml(configMap.getData().get("acknowledgements.yaml"));
		assertThat(bound.acknowledgements()).containsExactly(
				new AcknowledgementProperties.Rule("stale-attached-volumes", "Volume", "longhorn-system", "pvc-9b78", null,
						"kept attached: nightly export, \"OPS-1234\"", java.time.LocalDate.parse("2026-12-31")),
				new AcknowledgementProperties.Rule("pods-ready", null, null, null,
						new AcknowledgementProperties.LabelSelector(
								Map.of("app.kubernetes.io/name", "grafana", "tier", "monitoring")),
						"being replaced", null));
		assertThat(bindYaml(Chart.one(Chart.render(DEFAULTS), ConfigMap.class).getData().get("acknowledgements.yaml"))
			.acknowledgements()).isEmpty();
	}

	@Test
	void aChangeOfTheRulesRollsThePod() {
		String before = podAnnotation(Chart.render(DEFAULTS));
		String after = podAnnotation(Chart.render(Map.of("acknowledgements.rules[0].check", "pods-ready",
				"acknowledgements.rules[0].reason", "known")));

		assertThat(before).isNotBlank().isNotEqualTo(after);
	}

	@Test
	void anExistingConfigMapIsMountedInsteadOfTheChartsOwn() {
		List<HasMetadata> objects = Chart.render(Map.of("acknowledgements.existingConfigMap", "my-acknowledgements"));

		assertThat(Chart.all(objects, ConfigMap.class)).isEmpty();
		Volume volume = Chart.one(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes()
			.stream()
			.filter(v -> v.getConfigMap() != null)
			.findFirst()
			.orElseThrow();
		assertThat(volume.getConfigMap().getName()).isEqualTo("my-acknowledgements");
		assertThat(volume.getConfigMap().getOptional()).isTrue();
	}

	private static String podAnnotation(List<HasMetadata> objects) {
		return Chart.one(objects, Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations()
			.get("checksum/acknowledgements");
	}

	/** Binds a Spring YAML file as the service does with spring.config.import. */
	private static AcknowledgementProperties bindYaml(String yaml) throws java.io.IOException {
		List<org.springframework.core.env.PropertySource<?>> sources = new org.springframework.boot.env.YamlPropertySourceLoader()
			.load("acknowledgements.yaml", new org.springframework.core.io.ByteArrayResource(
					yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		org.springframework.core.env.MutablePropertySources all = new org.springframework.core.env.MutablePropertySources();
		sources.forEach(all::addLast);
		return new Binder(ConfigurationPropertySources.from(all), null, ApplicationConversionService.getSharedInstance())
			.bindOrCreate("upgrade-readiness", AcknowledgementProperties.class);
	}

	@Test
	void valuesOutsideTheSchemaAreRefused() {
		for (Map<String, Object> invalid : List.<Map<String, Object>>of(Map.of("unknownKey", "x"),
				Map.of("rbac.readResources[0].resources[0]", "secrets"), Map.of("checks.minCertsExpirationInDay", 0),
				Map.of("snapshot.maxStaleness", "a minute"), Map.of("checks.nodeDiskHeadroom.enabled", "yes"),
				Map.of("image.pullPolicy", "Sometimes"), Map.of("security.mode", "oauth"),
				Map.of("security.cacheSize", 0), Map.of("cors.allowedOrigins[0]", "*"),
				Map.of("cors.allowedOrigins[0]", "https://rancher.example.com/dashboard"),
				Map.of("acknowledgements.rules[0].check", "pods-ready"),
				Map.of("acknowledgements.rules[0].check", "pods-ready", "acknowledgements.rules[0].reason", " "),
				Map.of("acknowledgements.rules[0].check", "pods-ready", "acknowledgements.rules[0].reason", "x",
						"acknowledgements.rules[0].expires", "next week"),
				Map.of("acknowledgements.rules[0].reason", "no check"))) {
			assertThatThrownBy(() -> Chart.template(Chart.NAMESPACE, invalid)).as("%s", invalid)
				.hasMessageContaining("schema");
		}
	}

	@Test
	void notesRenderTheWaysToReachTheService() {
		String notes = Chart.installDryRun(DEFAULTS);
		assertThat(notes).contains("kubectl -n harvester-system port-forward svc/upgrade-readiness 8080:8080")
			.contains("curl -s http://localhost:8080/api/v1/upgrade-readiness")
			.contains("/k8s/clusters/local/api/v1/namespaces/harvester-system/services/http:upgrade-readiness:8080"
					+ "/proxy/api/v1/upgrade-readiness")
			.contains("nodes/proxy is not granted");
		assertThat(Chart.installDryRun(Map.of("checks.nodeDiskHeadroom.enabled", true, "service.port", 80,
				"rbac.create", false)))
			.contains("port-forward svc/upgrade-readiness 8080:80")
			.contains("services/http:upgrade-readiness:80/proxy/api/v1/upgrade-readiness")
			.contains("may get nodes/proxy")
			.contains("rbac.create is false");
		assertThat(notes).contains("security.mode is none: anyone who can reach the Service can read the report");
		assertThat(Chart.installDryRun(SECURED)).contains("security.mode is kubernetes")
			.contains("(ClusterRole upgrade-readiness-harvester-system-reader)")
			.contains("Authorization: Bearer");
	}

	// ---- helpers ----------------------------------------------------------------------------------------------

	private static Container container(List<HasMetadata> objects) {
		List<Container> containers = Chart.one(objects, Deployment.class).getSpec().getTemplate().getSpec()
			.getContainers();
		assertThat(containers).hasSize(1);
		return containers.get(0);
	}

	private static Map<String, Object> env(Container container) {
		return container.getEnv()
			.stream()
			.collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue, (a, b) -> b, LinkedHashMap::new));
	}

	/** Binds as the service does from the process environment (relaxed binding of UPPER_SNAKE names). */
	private static Binder binder(Map<String, Object> env) {
		SystemEnvironmentPropertySource source = new SystemEnvironmentPropertySource(
				StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env);
		return new Binder(ConfigurationPropertySources.from(source), null,
				ApplicationConversionService.getSharedInstance());
	}

	/** UPGRADE_READINESS_CHECKS_MIN_CERTS_EXPIRATION_IN_DAY, ... for each (nested) record component. */
	private static List<String> envNames(String prefix, Class<?> record) {
		return Arrays.stream(record.getRecordComponents()).flatMap(component -> {
			String name = prefix + "_" + upperSnake(component.getName());
			return component.getType().isRecord() ? envNames(name, component.getType()).stream()
					: java.util.stream.Stream.of(name);
		}).toList();
	}

	private static String upperSnake(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
	}

}
