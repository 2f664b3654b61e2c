package io.harvester.upgradereadiness.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import io.harvester.upgradereadiness.rehearsal.Rehearsal.Step;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain-rehearsal scenarios of the specification (drain-rehearsal.md section 7), as the {@code drain-capacity}
 * fixtures: next to each case's {@code expect.yaml} (the findings, asserted by CheckFixtureTests), a
 * {@code rehearsal.yaml} lists one or more runs (target version, restoreVM) with the order, every step's
 * placements, what does not fit and why, what never migrates, and the summary, all asserted exactly.
 */
class RehearsalFixtureTests {

	static final Path ROOT = Path.of("src/test/resources/checks/drain-capacity");

	@TestFactory
	Stream<DynamicTest> everyScenarioRehearsesAsSpecified() throws IOException {
		List<DynamicTest> tests = new ArrayList<>();
		try (Stream<Path> cases = Files.list(ROOT)) {
			for (Path dir : cases.filter(d -> Files.exists(d.resolve("rehearsal.yaml"))).sorted().toList()) {
				List<Map<String, Object>> runs = runs(dir);
				for (int i = 0; i < runs.size(); i++) {
					Map<String, Object> run = runs.get(i);
					tests.add(DynamicTest.dynamicTest(dir.getFileName() + " run " + (i + 1) + " " + input(run),
							() -> verify(dir, run)));
				}
			}
		}
		return tests.stream();
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> runs(Path dir) throws IOException {
		try (InputStream in = Files.newInputStream(dir.resolve("rehearsal.yaml"))) {
			Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
			return (List<Map<String, Object>>) doc.get("runs");
		}
	}

	private static String input(Map<String, Object> run) {
		return "(target " + run.get("targetVersion") + (run.containsKey("restoreVM") ? ", restoreVM "
				+ run.get("restoreVM") : "") + ")";
	}

	private static void verify(Path dir, Map<String, Object> expected) throws IOException {
		ClusterSnapshot snapshot = new SnapshotFileReader().read(dir.resolve("cluster"), Instant.EPOCH);
		Rehearsal rehearsal = rehearse(snapshot, expected);
		Map<String, Object> actual = describe(rehearsal);
		for (String key : List.of("orderSource", "singleNode", "order", "summary")) {
			assertThat(actual.get(key)).as(key).isEqualTo(expected.get(key));
		}
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> steps = (List<Map<String, Object>>) expected.get("steps");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> actualSteps = (List<Map<String, Object>>) actual.get("steps");
		assertThat(actualSteps).as("steps").hasSameSizeAs(steps);
		for (int i = 0; i < steps.size(); i++) {
			Map<String, Object> want = new LinkedHashMap<>(STEP_DEFAULTS);
			want.putAll(steps.get(i));
			assertThat(actualSteps.get(i)).as("step " + (i + 1)).isEqualTo(want);
		}
		assertThat(Rehearsals.compute(snapshot, input(snapshot, expected))).as("a pure function of the snapshot")
			.isEqualTo(rehearsal);
	}

	private static final Map<String, Object> STEP_DEFAULTS = Map.of("placed", List.of(), "notPlaced", List.of(),
			"nonMigratable", List.of(), "hypothetical", false);

	static Rehearsal rehearse(ClusterSnapshot snapshot, Map<String, Object> run) {
		return Rehearsals.of(snapshot, input(snapshot, run));
	}

	static RehearsalInput input(ClusterSnapshot snapshot, Map<String, Object> run) {
		return new RehearsalInput(Settings.effective(snapshot, Settings.SERVER_VERSION).orElse(null),
				(String) run.get("targetVersion"), (Boolean) run.get("restoreVM"));
	}

	/** The rehearsal in the words of rehearsal.yaml. */
	static Map<String, Object> describe(Rehearsal rehearsal) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("orderSource", rehearsal.orderSource());
		out.put("singleNode", rehearsal.singleNode());
		out.put("order", rehearsal.order().stream()
			.map(o -> o.step() + " " + o.node() + " " + (o.machine() != null ? o.machine() : "-") + " " + o.tier())
			.toList());
		List<Map<String, Object>> steps = new ArrayList<>();
		for (Step step : rehearsal.steps()) {
			Map<String, Object> s = new LinkedHashMap<>();
			s.put("step", step.step());
			s.put("node", step.node());
			s.put("vms", step.vms());
			s.put("placed", step.placed().stream().map(p -> p.vm() + " -> " + p.to()).toList());
			s.put("notPlaced", step.notPlaced().stream()
				.map(n -> n.vm() + " " + n.requests() + " " + n.verdict() + ": " + String.join(" | ",
						n.reasons().stream().map(r -> r.node() + ": " + r.reason()).toList()))
				.toList());
			s.put("nonMigratable", step.nonMigratable().stream()
				.map(n -> n.vm() + " " + n.outcome() + ": " + n.reason()).toList());
			s.put("hypothetical", step.hypothetical());
			if (step.headroom() != null) {
				s.put("headroom", step.headroom().node() + " " + step.headroom().memoryFreePercent() + "%");
			}
			steps.add(s);
		}
		out.put("steps", steps);
		Rehearsal.Summary summary = rehearsal.summary();
		out.put("summary", "steps " + summary.steps() + ", placed " + summary.vmsPlaced() + ", not placed "
				+ summary.vmsNotPlaced() + ", first failing step " + summary.firstFailingStep() + ", "
				+ summary.verdict());
		return out;
	}

}
