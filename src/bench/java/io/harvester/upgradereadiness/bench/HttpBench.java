package io.harvester.upgradereadiness.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP: the packaged service on the 5 000-node synthetic snapshot (read from files), under a closed-loop load of
 * {@link #CONNECTIONS} connections from this process on loopback: {@code GET /api/v1/upgrade-readiness} against
 * {@code /actuator/health/liveness}, the cheapest endpoint it has, as the baseline, measured in alternating rounds.
 */
final class HttpBench {

	static final String REPORT = "/api/v1/upgrade-readiness";

	static final String LIVENESS = "/actuator/health/liveness";

	private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);

	private static final Duration ROUND = Duration.ofSeconds(Integer.getInteger("bench.seconds", 15));

	private static final int ROUNDS = 2;

	private static final double TARGET_RATIO = 0.8;

	private HttpBench() {
	}

	static void run(Path target) throws Exception {
		Path files = target.resolve("bench").resolve("snapshot-" + SyncBench.NODES);
		long objects = SyncBench.writeFiles(files);
		System.out.printf("Starting the service on %d objects (%d nodes) ...%n", objects, SyncBench.NODES);
		try (Service service = Service.start(target, "http", Map.of("UPGRADE_READINESS_SNAPSHOT_PATH",
				files.toString()), List.of(), List.of())) {
			double ready = service.awaitOk("/actuator/health/readiness", Duration.ofMinutes(5));
			long before = System.nanoTime();
			int size = service.get(REPORT).length();
			System.out.printf("ready after %.1f s; first report (evaluates every check) in %.0f ms, %d bytes%n", ready,
					(System.nanoTime() - before) / 1e6, size);
			System.out.println("warming up ...");
			LoadGenerator.run(service.port(), REPORT, CONNECTIONS, Duration.ofSeconds(10));
			LoadGenerator.run(service.port(), LIVENESS, CONNECTIONS, Duration.ofSeconds(10));
			List<LoadGenerator.Result> report = new ArrayList<>();
			List<LoadGenerator.Result> liveness = new ArrayList<>();
			for (int round = 0; round < ROUNDS; round++) {
				liveness.add(print(LoadGenerator.run(service.port(), LIVENESS, CONNECTIONS, ROUND)));
				report.add(print(LoadGenerator.run(service.port(), REPORT, CONNECTIONS, ROUND)));
			}
			System.out.println();
			System.out.printf("== http: %d nodes, %d connections, %d rounds of %d s per endpoint ==%n",
					SyncBench.NODES, CONNECTIONS, ROUNDS, ROUND.toSeconds());
			LoadGenerator.Result livenessTotal = merge(liveness);
			LoadGenerator.Result reportTotal = merge(report);
			System.out.println(livenessTotal.describe());
			System.out.println(reportTotal.describe());
			double ratio = reportTotal.throughput() / livenessTotal.throughput();
			System.out.printf("ratio report/liveness throughput = %.2f (target >= %.1f: %s)%n", ratio, TARGET_RATIO,
					(ratio >= TARGET_RATIO) ? "met" : "MISSED");
		}
	}

	private static LoadGenerator.Result print(LoadGenerator.Result result) {
		System.out.println(result.describe());
		return result;
	}

	private static LoadGenerator.Result merge(List<LoadGenerator.Result> results) {
		org.HdrHistogram.Histogram latencies = results.get(0).latencies().copy();
		double seconds = results.get(0).seconds();
		long bytes = results.get(0).bytes();
		long errors = results.get(0).errors();
		for (LoadGenerator.Result result : results.subList(1, results.size())) {
			latencies.add(result.latencies());
			seconds += result.seconds();
			bytes += result.bytes();
			errors += result.errors();
		}
		return new LoadGenerator.Result(results.get(0).path(), results.get(0).connections(), seconds, latencies, bytes,
				errors);
	}

}
