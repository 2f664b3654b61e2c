package io.harvester.upgradereadiness.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.harvester.upgradereadiness.check.live.LiveChecks;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walks {@code src/test/resources/checks/<check-id>/<case>/}: each case holds a {@code cluster/} directory of
 * kubectl-shaped YAML and an {@code expect.yaml} with the check's status, reason and exact findings (rule, message,
 * resources, in order). Adding a case is adding a folder.
 */
class CheckFixtureTests {

	static final Path ROOT = Path.of("src/test/resources/checks");

	/** The evaluation time of every case unless it sets {@code options.now}. */
	static final Instant FIXTURE_NOW = Instant.parse("2026-11-26T12:00:00Z");

	private final CheckCatalogue catalogue = CheckCatalogue.standard();

	private final CheckRunner runner = new CheckRunner();

	@TestFactory
	Stream<DynamicTest> everyFixtureCaseGivesItsExpectedResult() throws IOException {
		List<DynamicTest> tests = new ArrayList<>();
		for (Path checkDir : directories(ROOT)) {
			String checkId = checkDir.getFileName().toString();
			for (Path caseDir : directories(checkDir)) {
				tests.add(DynamicTest.dynamicTest(checkId + "/" + caseDir.getFileName(), () -> verify(checkId, caseDir)));
			}
		}
		return tests.stream();
	}

	/**
	 * Every check has a passing and a failing case; the checks over live probes, whose data no file can hold, have
	 * their file-mode skip here and their pass and fail cases in their own tests (LiveProbesTests).
	 */
	@Test
	void everyCheckHasPassingAndFailingFixtures() throws IOException {
		List<String> live = LiveChecks.all().stream().map(c -> c.definition().id()).toList();
		for (String id : this.catalogue.ids()) {
			Path dir = ROOT.resolve(id);
			assertThat(dir).as("fixtures of " + id).isDirectory();
			List<String> cases = directories(dir).stream().map(p -> p.getFileName().toString()).toList();
			if (live.contains(id)) {
				assertThat(cases).as("cases of " + id).contains("skip-file-mode");
			}
			else {
				assertThat(cases).as("cases of " + id)
					.anyMatch(c -> c.startsWith("pass-"))
					.anyMatch(c -> c.startsWith("fail-"));
			}
		}
	}

	@SuppressWarnings("unchecked")
	private void verify(String checkId, Path caseDir) throws IOException {
		Check check = this.catalogue.find(checkId).orElseThrow(() -> new AssertionError("no check " + checkId));
		ClusterSnapshot snapshot = new SnapshotFileReader().read(caseDir.resolve("cluster"), Instant.EPOCH);
		Map<String, Object> expect;
		try (InputStream in = Files.newInputStream(caseDir.resolve("expect.yaml"))) {
			expect = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
		}
		CheckResult result = this.runner.run(snapshot, check,
				context(snapshot, (Map<String, Object>) expect.get("options")));
		assertThat(result.status().name()).as("status").isEqualTo(expect.get("status"));
		if (expect.containsKey("reason")) {
			assertThat(result.reason()).as("reason").isEqualTo(expect.get("reason"));
		}
		if (expect.containsKey("skipKind")) {
			assertThat(result.skipKind()).as("skipKind").hasToString((String) expect.get("skipKind"));
		}
		List<Map<String, Object>> expected = (List<Map<String, Object>>) expect.getOrDefault("findings", List.of());
		List<String> actual = result.findings().stream().map(CheckFixtureTests::describe).toList();
		List<String> wanted = expected.stream().map(CheckFixtureTests::describe).toList();
		assertThat(actual).as("findings").containsExactlyElementsOf(wanted);
		result.findings().forEach(f -> {
			assertThat(f.checkId()).isEqualTo(checkId);
			assertThat(f.remediation()).as("remediation of " + f.id()).isNotBlank();
			assertThat(f.id()).startsWith(checkId + "/" + f.rule() + "/");
		});
	}

	/**
	 * The context a case asks for in {@code options}: {@code now} (ISO instant), {@code live} (boolean), Harvester's
	 * switches by their request-parameter names, and {@code optIn} (list of check ids). The versions are resolved
	 * from the snapshot as the report does: a case sets the running version with a {@code server-version} setting.
	 */
	private static CheckContext context(ClusterSnapshot snapshot, Map<String, Object> options) {
		if (options == null) {
			return CheckContext.forSnapshot(snapshot, FIXTURE_NOW, CheckOptions.defaults());
		}
		CheckOptions checkOptions = CheckOptions.defaults();
		String by = "fixture option ";
		if (options.get("targetVersion") instanceof String target) {
			checkOptions = checkOptions.withTargetVersion(new Switch<>(target, by + "targetVersion"));
		}
		if (options.get("skipSingleReplicaDetachedVol") instanceof Boolean value) {
			checkOptions = checkOptions
				.withSkipSingleReplicaDetachedVol(new Switch<>(value, by + "skipSingleReplicaDetachedVol"));
		}
		if (options.get("skipGarbageCollectionThresholdCheck") instanceof Boolean value) {
			checkOptions = checkOptions.withSkipGarbageCollectionThresholdCheck(
					new Switch<>(value, by + "skipGarbageCollectionThresholdCheck"));
		}
		if (options.get("minCertsExpirationInDay") instanceof Integer value) {
			checkOptions = checkOptions.withMinCertsExpirationInDay(new Switch<>(value, by + "minCertsExpirationInDay"));
		}
		if (options.get("skipVersionCheck") instanceof Boolean value) {
			checkOptions = checkOptions.withSkipVersionCheck(new Switch<>(value, by + "skipVersionCheck"));
		}
		if (options.get("optIn") instanceof List<?> optIn) {
			checkOptions = checkOptions.withOptIn(new java.util.HashSet<>(optIn.stream().map(String::valueOf).toList()));
		}
		Instant now = (options.get("now") instanceof String text) ? Instant.parse(text) : FIXTURE_NOW;
		boolean live = Boolean.TRUE.equals(options.get("live"));
		return new CheckContext(now, live, checkOptions, HarvesterVersions.resolve(snapshot, checkOptions));
	}

	private static String describe(Finding finding) {
		return finding.rule() + " | " + finding.message() + " | "
				+ finding.resources().stream().map(ResourceRef::toString).toList();
	}

	@SuppressWarnings("unchecked")
	private static String describe(Map<String, Object> expected) {
		return expected.get("rule") + " | " + expected.get("message") + " | " + expected.get("resources");
	}

	private static List<Path> directories(Path parent) throws IOException {
		try (Stream<Path> list = Files.list(parent)) {
			return list.filter(Files::isDirectory).sorted().toList();
		}
	}

}
