package io.harvester.upgradereadiness.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up: the packaged jar on the demo snapshot, from the process's start to {@code /actuator/health/readiness}
 * answering 200 (the snapshot read, every kind known), {@link #RUNS} times; the median, with Spring's own
 * "Started ... in" figure beside it.
 */
final class StartupBench {

	private static final int RUNS = Integer.getInteger("bench.runs", 5);

	private StartupBench() {
	}

	static void run(Path target) throws Exception {
		List<Double> ready = new ArrayList<>();
		List<Double> spring = new ArrayList<>();
		for (int run = 1; run <= RUNS; run++) {
			try (Service service = Service.start(target, "startup-" + run, Map.of(), List.of(),
					List.of("--spring.profiles.active=demo"))) {
				double seconds = service.awaitOk("/actuator/health/readiness", Duration.ofMinutes(2));
				ready.add(seconds);
				Matcher started = Pattern.compile("Started \\S+ in ([0-9.]+) seconds")
					.matcher(Files.readString(target.resolve("bench").resolve("startup-" + run + ".log")));
				spring.add(started.find() ? Double.parseDouble(started.group(1)) : Double.NaN);
				System.out.printf("run %d: ready after %.2f s (Spring: started in %.2f s)%n", run, seconds,
						spring.get(spring.size() - 1));
			}
		}
		System.out.println();
		System.out.printf("== start-up: demo snapshot, %d runs ==%n", RUNS);
		System.out.printf("process start to readiness 200: median %.2f s (min %.2f, max %.2f); Spring's "
				+ "\"started in\": median %.2f s%n", median(ready), ready.stream().mapToDouble(d -> d).min().orElse(0),
				ready.stream().mapToDouble(d -> d).max().orElse(0), median(spring));
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

}
