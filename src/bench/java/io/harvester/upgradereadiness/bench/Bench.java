package io.harvester.upgradereadiness.bench;

import java.nio.file.Path;

/**
 * Runs one benchmark: {@code checks}, {@code http}, {@code sync} or {@code startup} (see docs/benchmarks.md).
 * Started by the Maven profile {@code bench} in a JVM of its own: {@code ./mvnw -B -ntp -P bench verify -Dbench=...}.
 */
public final class Bench {

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		String which = (args.length > 0) ? args[0] : "checks";
		Path target = Path.of((args.length > 1) ? args[1] : "target").toAbsolutePath();
		Machine.describe().forEach(line -> System.out.println("machine: " + line));
		switch (which) {
			case "checks" -> ChecksBench.run(target);
			case "http" -> HttpBench.run(target);
			case "sync" -> SyncBench.run(target);
			case "startup" -> StartupBench.run(target);
			default -> throw new IllegalArgumentException("Unknown benchmark " + which
					+ "; one of checks, http, sync, startup");
		}
	}

}
