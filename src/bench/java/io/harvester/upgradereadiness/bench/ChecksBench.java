package io.harvester.upgradereadiness.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.support.SyntheticCluster;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Check evaluation: JMH's average time of one evaluation of every check over 500, 1 000, 5 000 and 10 000 synthetic
 * nodes, and the 10 000/5 000 ratio (2.0 is linear). Then, outside JMH, each check's own time at 5 000 and
 * 10 000 nodes and its ratio, to name a check that grows faster than the cluster.
 */
final class ChecksBench {

	private static final double TARGET_RATIO = 2.2;

	/** Issue 13: one rehearsal of the 5 000-node cluster within 2 s. */
	private static final long REHEARSAL_TARGET_MS = 2000;

	private ChecksBench() {
	}

	static void run(Path target) throws Exception {
		Options options = new OptionsBuilder().include(CheckEvaluationBenchmark.class.getName())
			.forks(1)
			.warmupIterations(3)
			.warmupTime(TimeValue.seconds(2))
			.measurementIterations(5)
			.measurementTime(TimeValue.seconds(3))
			.jvmArgs("-Xmx6g", "-Xms6g")
			// -Dbench.checksJvm: more options for the measured JVM (such as -XX:TieredStopAtLevel=1)
			.jvmArgsAppend(System.getProperty("bench.checksJvm", "").isBlank() ? new String[0]
					: System.getProperty("bench.checksJvm").trim().split("\\s+"))
			.addProfiler(GCProfiler.class)
			.result(target.resolve("bench-checks-jmh.txt").toString())
			.resultFormat(org.openjdk.jmh.results.format.ResultFormatType.TEXT)
			.build();
		Collection<RunResult> results = new Runner(options).run();
		Map<Integer, double[]> scores = new TreeMap<>();
		Map<Integer, double[]> rehearsals = new TreeMap<>();
		for (RunResult result : results) {
			int nodes = Integer.parseInt(result.getParams().getParam("nodes"));
			if (result.getParams().getBenchmark().endsWith(".rehearsal")) {
				rehearsals.put(nodes, new double[] { result.getPrimaryResult().getScore(),
						result.getPrimaryResult().getScoreError() });
				continue;
			}
			Result<?> allocated = result.getSecondaryResults().get("gc.alloc.rate.norm");
			scores.put(nodes, new double[] { result.getPrimaryResult().getScore(),
					result.getPrimaryResult().getScoreError(), (allocated != null) ? allocated.getScore() : Double.NaN });
		}
		System.out.println();
		System.out.println("== check evaluation: all checks, one evaluation (JMH average) ==");
		scores.forEach((nodes, score) -> System.out.printf("nodes %6d   %10.3f ms  +- %8.3f   allocates %8.1f MB%n",
				nodes, score[0], score[1], score[2] / 1e6));
		if (scores.containsKey(5000) && scores.containsKey(10000)) {
			double ratio = scores.get(10000)[0] / scores.get(5000)[0];
			System.out.printf("ratio 10000/5000 = %.2f (target <= %.1f: %s); allocation ratio %.2f%n", ratio,
					TARGET_RATIO, (ratio <= TARGET_RATIO) ? "met" : "MISSED", scores.get(10000)[2] / scores.get(5000)[2]);
		}
		System.out.println();
		System.out.println("== drain rehearsal: one replay of every node's drain, without the memo (JMH average) ==");
		rehearsals.forEach((nodes, score) -> System.out.printf("nodes %6d   %10.3f ms  +- %8.3f%n", nodes, score[0],
				score[1]));
		if (rehearsals.containsKey(5000)) {
			double ms = rehearsals.get(5000)[0];
			System.out.printf("rehearsal at 5000 nodes = %.0f ms (target <= %d ms: %s)%n", ms, REHEARSAL_TARGET_MS,
					(ms <= REHEARSAL_TARGET_MS) ? "met" : "MISSED");
		}
		// drain-capacity below reads the rehearsal memoised per snapshot: its figure is a memo hit after the first run.
		perCheck(5000, 10000);
	}

	/**
	 * Each check alone, median of 7 runs after 3 warm-ups, at two sizes; with the bytes one evaluation allocates,
	 * which unlike time does not depend on what else the machine is doing.
	 */
	static void perCheck(int... sizes) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
			.getThreadMXBean();
		Map<String, double[]> times = new LinkedHashMap<>();
		Map<String, double[]> allocations = new LinkedHashMap<>();
		for (int s = 0; s < sizes.length; s++) {
			ClusterSnapshot snapshot = SyntheticCluster.ofNodes(sizes[s]).snapshot(CheckEvaluationBenchmark.NOW);
			System.gc();
			CheckRunner runner = new CheckRunner();
			CheckContext context = CheckContext.forSnapshot(snapshot, CheckEvaluationBenchmark.NOW,
					io.harvester.upgradereadiness.check.CheckOptions.defaults());
			for (Check check : CheckCatalogue.standard().all()) {
				List<Long> runs = new ArrayList<>();
				long allocated = 0;
				for (int i = 0; i < 10; i++) {
					long bytes = threads.getCurrentThreadAllocatedBytes();
					long start = System.nanoTime();
					runner.run(snapshot, check, context);
					if (i >= 3) {
						runs.add(System.nanoTime() - start);
						allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
					}
				}
				allocations.computeIfAbsent(check.definition().id(), id -> new double[sizes.length])[s] = allocated;
				runs.sort(null);
				times.computeIfAbsent(check.definition().id(), id -> new double[sizes.length])[s] = runs
					.get(runs.size() / 2) / 1e6;
			}
			snapshot = null;
			System.gc();
		}
		System.out.println();
		System.out.println("== each check alone (median of 7 runs, ms; MB allocated by one run) ==");
		System.out.printf("%-30s %10s %10s %7s %10s %10s %7s%n", "check", sizes[0] + " ms", sizes[1] + " ms", "ratio",
				sizes[0] + " MB", sizes[1] + " MB", "ratio");
		times.forEach((id, t) -> {
			double[] a = allocations.get(id);
			System.out.printf("%-30s %10.3f %10.3f %7s %10.2f %10.2f %7s%n", id, t[0], t[1],
					(t[0] >= 0.05) ? String.format("%.2f", t[1] / t[0]) : "-", a[0] / 1e6, a[1] / 1e6,
					(a[0] >= 10_000) ? String.format("%.2f", a[1] / a[0]) : "-");
		});
	}

}
