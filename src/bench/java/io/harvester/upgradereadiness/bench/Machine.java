package io.harvester.upgradereadiness.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the figures were measured on. */
final class Machine {

	private Machine() {
	}

	static List<String> describe() {
		List<String> lines = new ArrayList<>();
		lines.add("processors " + Runtime.getRuntime().availableProcessors());
		lines.add("memory " + memTotal());
		lines.add("java " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		lines.add("os " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		return lines;
	}

	private static String memTotal() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					long kb = Long.parseLong(line.replaceAll("\\D+", ""));
					return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return "unknown";
	}

}
