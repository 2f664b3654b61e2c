package io.harvester.upgradereadiness.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.support.Corruptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A property-style test: objects of the demo cluster damaged at random (fields dropped, wrong types, nulls,
 * unknown values) never fail the report. The checks that read a damaged kind may fail or report ERROR naming the
 * object, never "failed unexpectedly"; every other check gives exactly the answer it gave on the intact cluster.
 */
class BrokenDataPropertyTests {

	private static final Path DEMO = Path.of("src/main/resources/demo-snapshot");

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	@TempDir
	Path dir;

	@Test
	void damagedObjectsNeverFailTheReportAndLeaveTheOtherChecksAlone() throws IOException {
		Map<Path, Map<String, Object>> intact = readDemo();
		Map<String, ReadinessReport.CheckReport> baseline = byId(report(write(intact, "intact")));
		Random random = new Random(20261126);
		for (int round = 0; round < 60; round++) {
			Map<Path, Map<String, Object>> damaged = deepCopy(intact);
			Set<WatchedKind> touched = EnumSet.noneOf(WatchedKind.class);
			List<String> damage = new ArrayList<>();
			for (int n = 0; n < 1 + random.nextInt(3); n++) {
				List<Map<String, Object>> items = items(damaged, random);
				if (items.isEmpty()) {
					continue;
				}
				Map<String, Object> item = items.get(random.nextInt(items.size()));
				Map<String, Object> body = new LinkedHashMap<>(item);
				body.keySet().removeAll(List.of("apiVersion", "kind", "metadata"));
				String how = Corruptions.apply(body, random);
				item.keySet().retainAll(List.of("apiVersion", "kind", "metadata"));
				item.putAll(body);
				kindOf(item).ifPresent(touched::add);
				damage.add(how + " on " + item.get("kind") + " " + ((Map<?, ?>) item.get("metadata")).get("name"));
			}
			ReadinessReport report = report(write(damaged, "round-" + round));
			String what = String.join("; ", damage);
			for (ReadinessReport.CheckReport check : report.checks()) {
				assertThat(String.valueOf(check.reason())).as(check.id() + " after " + what)
					.doesNotContain("failed unexpectedly");
				CheckDefinition definition = CheckCatalogue.standard().find(check.id()).orElseThrow().definition();
				boolean readsDamaged = definition.allReads().stream().anyMatch(touched::contains);
				if (!readsDamaged) {
					ReadinessReport.CheckReport before = baseline.get(check.id());
					assertThat(check.status()).as(check.id() + " untouched by " + what).isEqualTo(before.status());
					assertThat(check.findings()).as(check.id() + " untouched by " + what)
						.isEqualTo(before.findings());
				}
			}
			assertThat(report.summary().findings()).isEqualTo(report.findings().size());
		}
	}

	private static ReadinessReport report(Path snapshot) {
		FileSnapshotSource source = FileSnapshotSource.load(snapshot.toString(), NOW);
		return new ReportService(source, CheckCatalogue.standard(), new CheckRunner(), Clock.fixed(NOW, ZoneOffset.UTC),
				CheckOptions.defaults(), Duration.ofSeconds(60))
			.report();
	}

	private static Map<String, ReadinessReport.CheckReport> byId(ReadinessReport report) {
		Map<String, ReadinessReport.CheckReport> checks = new LinkedHashMap<>();
		report.checks().forEach(check -> checks.put(check.id(), check));
		return checks;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> items(Map<Path, Map<String, Object>> files, Random random) {
		List<Path> paths = new ArrayList<>(files.keySet());
		Map<String, Object> list = files.get(paths.get(random.nextInt(paths.size())));
		return (list.get("items") instanceof List<?> items) ? (List<Map<String, Object>>) items : List.of();
	}

	private static java.util.Optional<WatchedKind> kindOf(Map<String, Object> item) {
		for (WatchedKind kind : WatchedKind.values()) {
			if (kind.matches(String.valueOf(item.get("apiVersion")), String.valueOf(item.get("kind")))) {
				return java.util.Optional.of(kind);
			}
		}
		return java.util.Optional.empty();
	}

	@SuppressWarnings("unchecked")
	private static Map<Path, Map<String, Object>> readDemo() throws IOException {
		Map<Path, Map<String, Object>> files = new LinkedHashMap<>();
		try (Stream<Path> walk = Files.walk(DEMO)) {
			for (Path file : walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
				try (InputStream in = Files.newInputStream(file)) {
					files.put(DEMO.relativize(file),
							(Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in));
				}
			}
		}
		return files;
	}

	@SuppressWarnings("unchecked")
	private static Map<Path, Map<String, Object>> deepCopy(Map<Path, Map<String, Object>> files) {
		Map<Path, Map<String, Object>> copy = new LinkedHashMap<>();
		Dump dump = new Dump(DumpSettings.builder().build());
		Load load = new Load(LoadSettings.builder().build());
		files.forEach((path, content) -> copy.put(path, (Map<String, Object>) load.loadFromString(dump.dumpToString(content))));
		return copy;
	}

	private Path write(Map<Path, Map<String, Object>> files, String name) throws IOException {
		Path root = this.dir.resolve(name);
		Dump dump = new Dump(DumpSettings.builder().build());
		for (Map.Entry<Path, Map<String, Object>> file : files.entrySet()) {
			Path target = root.resolve(file.getKey());
			Files.createDirectories(target.getParent());
			try (Writer writer = Files.newBufferedWriter(target)) {
				writer.write(dump.dumpToString(file.getValue()));
			}
		}
		return root;
	}

}
