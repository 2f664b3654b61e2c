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
 * Start-up: the service on the demo snapshot, from the process's start to {@code /actuator/health/readiness}
 * answering 200 (the snapshot read, every kind known), {@link #RUNS} times each: the fat jar, the extracted jar as
 * the image runs it without class-data sharing, and with the archive a training run wrote (as the Dockerfile does);
 * the medians, with Spring's own "Started ... in" figure beside them.
 */
final class StartupBench {

	private static final int RUNS = Integer.getInteger("bench.runs", 5);

	private StartupBench() {
	}

	private static final double TARGET_SECONDS = 2.0;

	static void run(Path target) throws Exception {
		Path extracted = target.resolve("bench").resolve("extracted");
		Path jar = extracted.resolve("upgrade-readiness.jar");
		Path archive = extracted.resolve("application.jsa");
		exec(target, "java", "-Djarmode=tools", "-jar", target.resolve("upgrade-readiness.jar").toString(), "extract",
				"--force", "--destination", extracted.toString());
		long started = System.nanoTime();
		exec(extracted, "java", "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
				jar.toString(), "--spring.profiles.active=demo", "--server.port=0");
		System.out.printf("training run wrote %s (%.0f MiB) in %.1f s%n", archive, Files.size(archive) / 1024.0 / 1024.0,
				(System.nanoTime() - started) / 1e9);
		List<String> lines = new ArrayList<>();
		lines.add(measure(target, "fat jar", target.resolve("upgrade-readiness.jar"), List.of()));
		lines.add(measure(target, "extracted jar, no CDS", jar, List.of()));
		lines.add(measure(target, "extracted jar + CDS", jar, List.of("-XX:SharedArchiveFile=" + archive)));
		System.out.println();
		System.out.printf("== start-up: demo snapshot, %d runs each (target with CDS <= %.1f s) ==%n", RUNS,
				TARGET_SECONDS);
		lines.forEach(System.out::println);
	}

	private static void exec(Path directory, String... command) throws Exception {
		List<String> argv = new ArrayList<>(List.of(command));
		argv.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
		Process process = new ProcessBuilder(argv).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("exec.log").toFile())
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", argv) + " failed; see " + directory.resolve("exec.log"));
		}
	}

	private static String measure(Path target, String what, Path jar, List<String> jvm) throws Exception {
		List<Double> ready = new ArrayList<>();
		List<Double> spring = new ArrayList<>();
		for (int run = 1; run <= RUNS; run++) {
			try (Service service = Service.start(target, "startup-" + run, Map.of(), jvm,
					List.of("--spring.profiles.active=demo"), jar)) {
				double seconds = service.awaitOk("/actuator/health/readiness", Duration.ofMinutes(2));
				ready.add(seconds);
				Matcher started = Pattern.compile("Started \\S+ in ([0-9.]+) seconds")
					.matcher(Files.readString(target.resolve("bench").resolve("startup-" + run + ".log")));
				spring.add(started.find() ? Double.parseDouble(started.group(1)) : Double.NaN);
				System.out.printf("%s, run %d: ready after %.2f s (Spring: started in %.2f s)%n", what, run, seconds,
						spring.get(spring.size() - 1));
			}
		}
		return String.format("%-22s: process start to readiness 200: median %.2f s (min %.2f, max %.2f); Spring's "
				+ "\"started in\": median %.2f s", what, median(ready), ready.stream().mapToDouble(d -> d).min().orElse(0),
				ready.stream().mapToDouble(d -> d).max().orElse(0), median(spring));
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

}
