package io.harvester.upgradereadiness.report;

import java.util.List;
import java.util.stream.StreamSupport;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** The service on the embedded demo snapshot, as the README runs it, through real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class DemoSnapshotApiTests {

	private static final String ORPHAN = "custom-4d279419a084";

	@LocalServerPort
	int port;

	HttpTestClient http;

	@BeforeEach
	void client() {
		this.http = new HttpTestClient(this.port);
	}

	@Test
	void reportIsNotReadyAndNamesTheOrphanMachine() {
		Response response = this.http.get("/api/v1/upgrade-readiness");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		JsonNode report = response.json();
		assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
		assertThat(report.get("ready").asBoolean()).isFalse();
		assertThat(messages(report)).containsExactly(
				"machine fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning",
				"machine fleet-local/custom-4d279419a084 has empty NodeRef, check the cluster provision",
				"machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, but no node carries it",
				"node harv43 reports ntpSyncStatus unsynced: its clock is not synchronised",
				"Following PVCs with single-replica volume, even the volume is detached, upgrade may have potential "
						+ "data integrity concerns: default/build-cache-disk-1-wrv25",
				"Volume pvc-9b78236a-974e-4483-a1c1-04f5633d6763 is attached, but none of its workloads are running.",
				"Backing image longhorn-system/vmi-ff108fcf-d5ed-415d-8008-955dd67ddcd8 has less than the recommended "
						+ "minimum number of copies (1 < 3)",
				"Volume longhorn-system/pvc-103e4a75-2a1a-4a3d-8517-9b8b65ce1665 (PVC default/build-cache-disk-0-qb6qw) "
						+ "is waiting for backing image vmi-91e743cb-155b-45b7-bdce-285afe5bac46: "
						+ "WaitForBackingImage=True (Waiting)",
				"please suspend all backup/snapshot schedule, for example default/vm-db-nightly is running",
				"There are non-live migratable VMs that need to be shut off before initiating the upgrade: "
						+ "demo/win2022-installer (CD-ROM disk attached: cdrom-disk)",
				"pod cattle-monitoring-system/rancher-monitoring-grafana-d6f466988-kks8h is not ready: Ready=False "
						+ "(ContainersNotReady: containers with unready status: [grafana])");
		JsonNode first = report.get("findings").get(0);
		assertThat(first.get("resources").get(0).get("name").asString()).isEqualTo(ORPHAN);
		assertThat(first.get("resources").get(0).get("namespace").asString()).isEqualTo("fleet-local");
		assertThat(first.get("resources").get(0).get("kind").asString()).isEqualTo("Machine");
		assertThat(first.get("blocking").asBoolean()).isTrue();
		assertThat(first.get("severity").asString()).isEqualTo("ERROR");
		assertThat(report.get("summary").get("findings").asInt()).isEqualTo(11);
		assertThat(report.get("summary").get("blockingFindings").asInt()).isEqualTo(8);
		assertThat(report.get("summary").get("failed").asInt()).isEqualTo(10);
		assertThat(report.get("summary").get("passed").asInt()).isEqualTo(23);
		assertThat(report.get("versions").get("current").asString()).isEqualTo("v1.5.0");
		assertThat(report.get("versions").get("target").asString()).isEqualTo("v1.5.1");
		assertThat(report.get("snapshot").get("source").asString()).isEqualTo("classpath:demo-snapshot");
		assertThat(HttpTestClient.kind(report, "machines.cluster.x-k8s.io").get("count").asInt()).isEqualTo(4);
	}

	@Test
	void findingIdsAreStableAcrossCalls() {
		List<String> first = ids(this.http.get("/api/v1/upgrade-readiness").json());
		List<String> second = ids(this.http.get("/api/v1/upgrade-readiness?exclude=machines-running").json());

		assertThat(second).isEqualTo(first.subList(1, first.size()));
	}

	@Test
	void selectsChecksWithTheChecksParameter() {
		JsonNode report = this.http.get("/api/v1/upgrade-readiness?checks=machines-running").json();

		assertThat(report.get("checks")).hasSize(1);
		assertThat(report.get("checks").get(0).get("id").asString()).isEqualTo("machines-running");
		assertThat(report.get("findings")).hasSize(1);
	}

	@Test
	void anUnknownParameterIsAProblemListingTheValidOnes() {
		Response response = this.http.get("/api/v1/upgrade-readiness?check=machines-running");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("detail").asString()).isEqualTo("Unknown query parameter(s): check");
		assertThat(strings(problem.get("validParameters"))).containsExactly("checks", "color", "exclude", "format",
				"minCertsExpirationInDay", "skipGarbageCollectionThresholdCheck", "skipSingleReplicaDetachedVol",
				"skipVersionCheck", "targetVersion");
	}

	@Test
	void aTargetVersionThatIsNeitherAVersionNorAVersionObjectIsAProblemNamingTheParameter() {
		for (String target : List.of("v1.9", "banana", "V1.5.1", "v1.5.1.2")) {
			Response response = this.http.get("/api/v1/upgrade-readiness?targetVersion=" + target);

			assertThat(response.status()).as(target).isEqualTo(400);
			assertThat(response.contentType()).isEqualTo("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.get("detail").asString()).as(target).isEqualTo("'targetVersion' must be a Harvester "
					+ "version (MAJOR.MINOR.PATCH, optionally with a leading v and a pre-release such as -rc2) or the "
					+ "name of a versions.harvesterhci.io object (there are: v1.5.0, v1.5.1)");
			assertThat(problem.get("parameter").asString()).isEqualTo("targetVersion");
			assertThat(strings(problem.get("versionObjects"))).containsExactly("v1.5.0", "v1.5.1");
		}
	}

	@Test
	void aWellFormedTargetWithoutAVersionObjectIsAFindingNotAProblem() {
		for (String target : List.of("v1.9.0", "1.9.0", "v1.9.0-rc2")) {
			JsonNode report = this.http.get("/api/v1/upgrade-readiness?checks=upgrade-path&targetVersion=" + target)
				.json();

			assertThat(report.get("verdict").asString()).as(target).isEqualTo("NOT_READY");
			assertThat(report.get("findings").get(0).get("rule").asString()).isEqualTo("version-not-found");
			assertThat(report.get("findings").get(0).get("message").asString())
				.isEqualTo("version " + target + " is not found");
		}
	}

	@Test
	void aSelectionThatLeavesNoCheckIsAProblem() {
		Response response = this.http
			.get("/api/v1/upgrade-readiness?checks=machines-running&exclude=machines-running");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("detail").asString()).isEqualTo("The selection leaves no check to run: every check in "
				+ "'checks' (machines-running) is in 'exclude' (machines-running)");
		assertThat(problem.get("parameter").asString()).isEqualTo("exclude");
	}

	@Test
	void aSelectionOfSkippedChecksIsUnknownNotReady() {
		JsonNode report = this.http.get("/api/v1/upgrade-readiness?checks=node-disk-headroom").json();

		assertThat(report.get("verdict").asString()).isEqualTo("UNKNOWN");
		assertThat(strings(report.get("reasons")))
			.containsExactly("no selected check was evaluated: all 1 were skipped");
	}

	@Test
	void anUnknownCheckIdIsAProblemListingTheValidChecks() {
		Response response = this.http.get("/api/v1/upgrade-readiness?exclude=machines-running,nope");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.get("detail").asString()).isEqualTo("Unknown check id(s) in 'exclude': nope");
		assertThat(strings(problem.get("validChecks"))).containsExactlyElementsOf(CheckCatalogue.standard().ids());
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	@Test
	void listsTheCatalogue() {
		JsonNode checks = this.http.get("/api/v1/checks").json();

		assertThat(checks).hasSize(CheckCatalogue.standard().ids().size());
		assertThat(checks.get(1).get("id").asString()).isEqualTo("machine-node-match");
		assertThat(strings(checks.get(1).get("reads"))).containsExactly("nodes", "machines.cluster.x-k8s.io");
		assertThat(checks.get(1).get("blocking").asBoolean()).isTrue();
		assertThat(checks.get(1).get("severity").asString()).isEqualTo("ERROR");
		assertThat(checks.get(1).get("webhookSince").asString()).isEqualTo("v1.5.1");
	}

	@Test
	void livenessAndReadinessAreUpWhileTheUpgradeGroupIsDownWithTheBlockingCount() {
		Response liveness = this.http.get("/actuator/health/liveness");
		Response readiness = this.http.get("/actuator/health/readiness");
		Response upgrade = this.http.get("/actuator/health/upgrade");

		assertThat(liveness.status()).isEqualTo(200);
		assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
		assertThat(readiness.status()).isEqualTo(200);
		JsonNode snapshot = readiness.json().get("components").get("clusterSnapshot");
		assertThat(snapshot.get("status").asString()).isEqualTo("UP");
		assertThat(snapshot.get("details").get("kinds").get("machines.cluster.x-k8s.io").get("count").asInt())
			.isEqualTo(4);
		assertThat(readiness.json().get("components").has("upgradeReadiness")).isFalse();
		assertThat(upgrade.status()).isEqualTo(503);
		JsonNode indicator = upgrade.json().get("components").get("upgradeReadiness");
		assertThat(indicator.get("status").asString()).isEqualTo("DOWN");
		assertThat(indicator.get("details").get("blockingFindings").asInt()).isEqualTo(8);
		assertThat(indicator.get("details").get("verdict").asString()).isEqualTo("NOT_READY");
	}

	@Test
	void exposesOnlyHealthInfoAndPrometheusOfTheActuator() {
		assertThat(this.http.get("/actuator/info").status()).isEqualTo(200);
		assertThat(this.http.get("/actuator/prometheus").status()).isEqualTo(200);
		for (String endpoint : List.of("env", "beans", "configprops", "heapdump", "threaddump", "mappings")) {
			assertThat(this.http.get("/actuator/" + endpoint).status()).as(endpoint).isEqualTo(404);
		}
	}

	@Test
	void anUnknownPathIsAProblemWithoutInternals() {
		Response response = this.http.get("/api/v1/nothing-here");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
	}

	@Test
	void documentsTheContractWithOpenApi() {
		Response docs = this.http.get("/v3/api-docs");

		assertThat(docs.status()).isEqualTo(200);
		JsonNode paths = docs.json().get("paths");
		assertThat(paths.has("/api/v1/upgrade-readiness")).isTrue();
		assertThat(paths.has("/api/v1/checks")).isTrue();
		JsonNode finding = docs.json().get("components").get("schemas").get("Finding");
		assertThat(finding.get("properties").get("remediation").get("description").asString()).isEqualTo("How to fix it.");
		assertThat(this.http.get("/swagger-ui.html").status()).isEqualTo(200);
	}

	@Test
	void rehearsesTheDrainNodeByNode() {
		Response response = this.http.get("/api/v1/upgrade-rehearsal");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		JsonNode rehearsal = response.json();
		assertThat(strings(rehearsal.get("order"), "node")).containsExactly("harv41", "harv42", "harv43");
		assertThat(rehearsal.get("orderSource").asString()).isEqualTo("machines");
		assertThat(rehearsal.get("versions").get("target").asString()).isEqualTo("v1.5.1");
		assertThat(rehearsal.get("snapshot").get("source").asString()).isEqualTo("classpath:demo-snapshot");
		assertThat(rehearsal.get("steps")).hasSize(3);
		assertThat(rehearsal.get("summary").get("verdict").asString()).isEqualTo("FITS");
		assertThat(rehearsal.get("limits").size()).isPositive();
		assertThat(this.http.get("/api/v1/upgrade-rehearsal?restoreVM=true").json().get("restoreVM").toString())
			.isEqualTo("{\"value\":true,\"from\":\"request parameter restoreVM\"}");
	}

	@Test
	void rehearsalAsTextForAShell() {
		Response response = this.http.get("/api/v1/upgrade-rehearsal?targetVersion=v1.7.0", "Accept", "text/plain");

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("text/plain");
		assertThat(response.body()).startsWith("Harvester upgrade rehearsal: FITS\n")
			.contains("upgrade v1.5.0 -> v1.7.0\n")
			.contains("\nstep 1/3  harv41  (etcd, custom-765c16e8db40)  1 VM\n")
			.contains("\nstep 3/3  harv43  (");
	}

	@Test
	void rehearsalRefusesAnyOtherParameterAndABadRestoreVm() {
		Response unknown = this.http.get("/api/v1/upgrade-rehearsal?checks=drain-capacity");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.contentType()).startsWith("application/problem+json");
		assertThat(unknown.json().get("detail").asString()).isEqualTo("Unknown query parameter(s): checks");
		Response bad = this.http.get("/api/v1/upgrade-rehearsal?restoreVM=maybe");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().get("detail").asString()).isEqualTo("'restoreVM' must be true or false");
	}

	private static List<String> strings(JsonNode array, String field) {
		return StreamSupport.stream(array.spliterator(), false).map(n -> n.get(field).asString()).toList();
	}

	private static List<String> messages(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false)
			.map(f -> f.get("message").asString())
			.toList();
	}

	private static List<String> ids(JsonNode report) {
		return StreamSupport.stream(report.get("findings").spliterator(), false).map(f -> f.get("id").asString()).toList();
	}

	private static List<String> strings(JsonNode array) {
		return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
	}

}
