package io.harvester.upgradereadiness.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import javax.xml.parsers.DocumentBuilderFactory;

import io.harvester.upgradereadiness.support.MockCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-shot command line: exit codes, formats, and clear errors on stderr. No web server is involved. */
class CheckCommandTests {

	private static final String DEMO = "src/main/resources/demo-snapshot";

	private static final String HEALTHY = "src/test/resources/snapshots/healthy-cluster";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private final CheckCommand command = new CheckCommand(new PrintStream(this.out, true, StandardCharsets.UTF_8),
			new PrintStream(this.err, true, StandardCharsets.UTF_8),
			Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));

	@TempDir
	Path dir;

	@Test
	void exitsZeroOnAReadyCluster() {
		assertThat(this.command.run("--snapshot", HEALTHY)).isEqualTo(0);
		assertThat(stdout()).startsWith("Harvester upgrade readiness: READY\n");
		assertThat(stderr()).isEmpty();
	}

	@Test
	void exitsOneWhenSomethingBlocks() {
		assertThat(this.command.run("--snapshot", DEMO)).isEqualTo(1);
		assertThat(stdout()).contains("machine fleet-local/custom-4d279419a084 is not running")
			.contains("\nNOT_READY: 8 blocking findings, 3 warnings; 39 checks:");
	}

	@Test
	void exitsTwoWhenSomethingCouldNotBeEvaluatedAndNothingBlocks() {
		// Only nodes and machines: the checks over other kinds cannot see their data.
		assertThat(this.command.run("--snapshot", "src/test/resources/checks/machines-running/pass-all-running/cluster"))
			.isEqualTo(2);
		assertThat(stdout()).contains("UNKNOWN: 0 blocking findings");
	}

	@Test
	void exitsThreeOnAFileThatIsNotYamlNamingIt() throws Exception {
		Path broken = Files.writeString(this.dir.resolve("nodes.yaml"), "apiVersion: v1\nkind: Node\n  name: [x\n");

		assertThat(this.command.run("--snapshot", this.dir.toString())).isEqualTo(3);
		assertThat(stderr()).startsWith("error: Cannot parse snapshot file " + broken + " at line ");
		assertThat(stdout()).isEmpty();
	}

	@Test
	void exitsThreeOnAPathThatDoesNotExist() {
		assertThat(this.command.run("--snapshot", "/nonexistent/bundle")).isEqualTo(3);
		assertThat(stderr()).isEqualTo("error: Snapshot path /nonexistent/bundle does not exist\n");
	}

	@Test
	void exitsThreeOnAnUnknownOptionOrCheckId() {
		assertThat(this.command.run("--snapshot", DEMO, "--frobnicate")).isEqualTo(3);
		assertThat(stderr()).startsWith("error: unknown option --frobnicate\n");
		this.err.reset();
		assertThat(this.command.run("--snapshot", DEMO, "--checks", "machines-running,nope")).isEqualTo(3);
		assertThat(stderr()).startsWith("error: unknown check id(s): nope\nvalid check ids: machines-running, ");
		this.err.reset();
		assertThat(this.command.run("--format", "yaml")).isEqualTo(3);
		assertThat(stderr()).startsWith("error: --format must be text, json or junit, not yaml");
	}

	@Test
	void exitsThreeOnATargetVersionThatIsNeitherAVersionNorAVersionObject() {
		assertThat(this.command.run("--snapshot", DEMO, "--target-version", "v1.9")).isEqualTo(3);
		assertThat(stderr()).isEqualTo("error: '--target-version' must be a Harvester version (MAJOR.MINOR.PATCH, "
				+ "optionally with a leading v and a pre-release such as -rc2) or the name of a versions.harvesterhci.io "
				+ "object (there are: v1.5.0, v1.5.1), not v1.9\n");
		assertThat(stdout()).isEmpty();
		this.err.reset();
		assertThat(this.command.run("--snapshot", DEMO, "--target-version", "banana")).isEqualTo(3);
		assertThat(stderr()).startsWith("error: '--target-version' must be a Harvester version");
	}

	@Test
	void aWellFormedTargetWithoutAVersionObjectBlocks() {
		assertThat(this.command.run("--snapshot", DEMO, "--checks", "upgrade-path", "--target-version", "v1.9.0"))
			.isEqualTo(1);
		assertThat(stdout()).contains("version v1.9.0 is not found");
	}

	@Test
	void exitsThreeWhenTheSelectionLeavesNoCheck() {
		assertThat(this.command.run("--snapshot", DEMO, "--checks", "machines-running", "--exclude",
				"machines-running")).isEqualTo(3);
		assertThat(stderr()).isEqualTo("error: --checks and --exclude leave no check to run\n");
		assertThat(stdout()).isEmpty();
	}

	@Test
	void exitsTwoWhenEveryCheckSelectedWasSkipped() {
		assertThat(this.command.run("--snapshot", HEALTHY, "--checks", "node-disk-headroom,apiserver-certificate-expiry"))
			.isEqualTo(2);
		assertThat(stdout()).contains("no selected check was evaluated: all 2 were skipped");
	}

	@Test
	void helpDocumentsTheOptionsAndExitCodes() {
		assertThat(this.command.run("--help")).isEqualTo(0);
		assertThat(stdout()).contains("--snapshot PATH", "--kubeconfig PATH", "--format FORMAT", "--checks IDS",
				"--exclude IDS", "Exit codes: 0 READY, 1 NOT_READY");
	}

	@Test
	void selectsChecksAndPrintsJson() {
		assertThat(this.command.run("--snapshot", DEMO, "--format", "json", "--checks", "machines-running")).isEqualTo(1);
		JsonNode report = JsonMapper.builder().build().readTree(stdout());
		assertThat(report.get("verdict").asString()).isEqualTo("NOT_READY");
		assertThat(report.get("checks")).hasSize(1);
		assertThat(report.get("evaluatedAt").asString()).isEqualTo("2026-11-26T12:00:00Z");
		this.out.reset();
		assertThat(this.command.run("--snapshot", DEMO, "--exclude", "machines-running,machine-node-match,"
				+ "single-replica-volumes,volumes-backing-image-ready,backup-schedules-suspended,vms-live-migratable,node-time-synced"))
			.isEqualTo(0);
	}

	@Test
	void writesJunitXmlWithOneTestCasePerCheck() throws Exception {
		assertThat(this.command.run("--snapshot", DEMO, "--format", "junit")).isEqualTo(1);
		Document xml = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(new ByteArrayInputStream(this.out.toByteArray()));
		Element suite = xml.getDocumentElement();
		assertThat(suite.getTagName()).isEqualTo("testsuite");
		assertThat(suite.getAttribute("tests")).isEqualTo("39");
		assertThat(suite.getAttribute("failures")).isEqualTo("7");
		assertThat(suite.getAttribute("skipped")).isEqualTo("6");
		NodeList cases = suite.getElementsByTagName("testcase");
		assertThat(cases.getLength()).isEqualTo(39);
		Element first = (Element) cases.item(0);
		assertThat(first.getAttribute("name")).isEqualTo("machines-running");
		Element failure = (Element) first.getElementsByTagName("failure").item(0);
		assertThat(failure.getAttribute("message")).isEqualTo("1 blocking finding: machine "
				+ "fleet-local/custom-4d279419a084 is not running: it is in phase Provisioning");
		assertThat(failure.getTextContent()).contains("resources: Machine fleet-local/custom-4d279419a084");
	}

	@Test
	void readsALiveClusterThroughAKubeconfig() throws Exception {
		try (MockCluster cluster = new MockCluster()) {
			cluster.start();
			cluster.installMachineCrd();
			cluster.apply("demo-snapshot/nodes.yaml");
			cluster.apply("demo-snapshot/machines.yaml");
			Path kubeconfig = Files.writeString(this.dir.resolve("kubeconfig"), """
					apiVersion: v1
					kind: Config
					clusters:
					- name: mock
					  cluster:
					    server: %s
					    insecure-skip-tls-verify: true
					users:
					- name: tester
					  user:
					    token: not-checked
					contexts:
					- name: mock
					  context: {cluster: mock, user: tester}
					current-context: mock
					""".formatted(cluster.url()));

			int exit = new CheckCommand(new PrintStream(this.out, true, StandardCharsets.UTF_8),
					new PrintStream(this.err, true, StandardCharsets.UTF_8), Clock.systemUTC())
				.run("--kubeconfig", kubeconfig.toString(), "--checks", "machines-running,machine-node-match",
						"--timeout", "30s");

			assertThat(exit).as(stderr()).isEqualTo(1);
			assertThat(stdout()).contains("machine fleet-local/custom-4d279419a084 is not running")
				.contains("snapshot live:" + cluster.url());
		}
	}

	@Test
	void exitsThreeOnAnUnreadableKubeconfig() {
		assertThat(this.command.run("--kubeconfig", "/nonexistent/kubeconfig")).isEqualTo(3);
		assertThat(stderr()).startsWith("error: cannot read the kubeconfig /nonexistent/kubeconfig: ");
	}

	private String stdout() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String stderr() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

}
