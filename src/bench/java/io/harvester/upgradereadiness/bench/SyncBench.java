package io.harvester.upgradereadiness.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.support.SyntheticCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sync: the packaged service syncing a 5 000-node synthetic cluster, live from an API-server stand-in in another
 * process (pre-rendered lists, in pages), and loaded from a file dump written as JSON; for each, the time from
 * process start to readiness, the sync or load itself (from the service's log), peak RSS and heap (from a GC log),
 * full collections, and the heap after a full GC. In the same run, the same work done by the plainest possible
 * client: Python fetching every page from the same stand-in and parsing it ({@code json.loads}), and Python's
 * {@code json.load} of the same files; the ratios are ours over theirs. The service runs with the chart's memory
 * settings by default ({@code -XX:MaxRAM=768m}, the image's {@code -XX:+UseG1GC -XX:MaxRAMPercentage=75}, exit on OOM).
 */
final class SyncBench {

	static final int NODES = Integer.getInteger("bench.nodes", 5000);

	/** The chart's limit (768 Mi) and the image's heap share, as a container would give them. */
	static final String CHART_JVM = "-XX:MaxRAM=768m -XX:+UseG1GC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";

	/** JVM options for the service; the chart's memory settings by default. */
	private static final String SERVICE_JVM = System.getProperty("bench.serviceJvm", "").isBlank() ? CHART_JVM
			: System.getProperty("bench.serviceJvm");

	private static final double TARGET_LIVE_RATIO = 1.0;

	private static final double TARGET_FILE_RATIO = 0.5;

	private static final double TARGET_HEAP_MIB = 512;

	private SyncBench() {
	}

	static void run(Path target) throws Exception {
		Path work = Files.createDirectories(target.resolve("bench"));
		List<String> results = new ArrayList<>();
		System.out.printf("Starting a mock API server with a %d-node cluster (with managedFields) ...%n", NODES);
		List<String> jvm = List.of(SERVICE_JVM.trim().split("\\s+"));
		try (MockProcess mock = MockProcess.start(target, NODES)) {
			double lists = mock.serveEveryList();
			Path kubeconfig = work.resolve("mock-kubeconfig.yaml");
			Files.writeString(kubeconfig, kubeconfig(mock.port));
			results.add(String.format("the stand-in alone serves every whole list once in %.1f s (%.0f MiB of JSON)",
					lists, mock.listBytes / 1024.0 / 1024.0));
			double python = python(work, "fetch-pages.py", PYTHON_FETCH, Integer.toString(mock.port), paths());
			results.add(String.format("python3: fetch every page of %d and json.loads it: %.1f s", MockApiServer.PAGE_SIZE,
					python));
			Run live = measure(target, "sync-live", Map.of("KUBECONFIG", kubeconfig.toString()), jvm, "live",
					mock.objects, "Synced every kind: \\d+ objects in (\\d+) ms");
			results.add(live.line);
			results.add(String.format("live sync / python fetch+parse = %.2f (target <= %.1f: %s)", live.seconds / python,
					TARGET_LIVE_RATIO, (live.seconds / python <= TARGET_LIVE_RATIO) ? "met" : "MISSED"));
		}
		Path files = work.resolve("snapshot-" + NODES);
		long objects = writeFiles(files);
		double python = python(work, "load-files.py", PYTHON_LOAD, files.toString());
		results.add(String.format("python3: json.load of every file: %.1f s", python));
		Run load = measure(target, "sync-files", Map.of("UPGRADE_READINESS_SNAPSHOT_PATH", files.toString()), jvm,
				"files", objects, "Read \\d+ objects of the watched kinds from \\d+ files in (\\d+) ms");
		results.add(load.line);
		results.add(String.format("file load / python json.load = %.2f (target <= %.1f: %s)", load.seconds / python,
				TARGET_FILE_RATIO, (load.seconds / python <= TARGET_FILE_RATIO) ? "met" : "MISSED"));
		System.out.println();
		System.out.printf("== sync: %d nodes, service JVM %s (targets: heap after full GC <= %.0f MiB; ratios above) ==%n",
				NODES, jvm, TARGET_HEAP_MIB);
		results.forEach(System.out::println);
	}

	/** Writes the cluster as kubectl prints it (no managedFields), unless already there. */
	static long writeFiles(Path directory) throws IOException {
		Path marker = directory.resolve(".objects");
		if (Files.exists(marker)) {
			return Long.parseLong(Files.readString(marker).trim());
		}
		long started = System.nanoTime();
		long objects = SyntheticCluster.ofNodes(NODES).writeJsonFiles(directory);
		Files.writeString(marker, Long.toString(objects));
		System.out.printf("wrote %d objects to %s in %.1f s%n", objects, directory, (System.nanoTime() - started) / 1e9);
		return objects;
	}

	/** One measured start: the sync or load time the service logged, and the line to print. */
	record Run(double seconds, String line) {
	}

	private static Run measure(Path target, String name, Map<String, String> env, List<String> jvm, String mode,
			long objects, String logged) throws Exception {
		Path gcLog = target.resolve("bench").resolve(name + "-gc.log");
		Files.deleteIfExists(gcLog);
		List<String> options = new ArrayList<>(jvm);
		options.add("-Xlog:gc:file=" + gcLog);
		System.out.printf("Starting the service (%s) %s...%n", mode, options);
		try (Service service = Service.start(target, name, env, options, List.of())) {
			double ready = service.awaitOk("/actuator/health/readiness", Duration.ofMinutes(10));
			double report = service.awaitOk("/api/v1/upgrade-readiness", Duration.ofMinutes(10));
			JsonNode body = JsonMapper.builder().build().readTree(service.get("/api/v1/upgrade-readiness"));
			long held = 0;
			for (JsonNode kind : body.get("snapshot").get("kinds")) {
				held += kind.path("count").asLong(0);
			}
			double peakRss = service.peakRssMiB();
			double heap = service.heapAfterFullGcMiB();
			Matcher took = Pattern.compile(logged).matcher(Files.readString(service.log()));
			double seconds = took.find() ? Long.parseLong(took.group(1)) / 1000.0 : Double.NaN;
			GcLog gc = GcLog.read(gcLog);
			String line = String.format(
					"%-5s: %s in %5.1f s (service log); ready after %5.1f s from process start, first report after %5.1f s;"
							+ " peak RSS %5.0f MiB, peak heap %5.0f MiB of %5.0f MiB, %d full GCs before the measurement;"
							+ " heap after full GC %5.0f MiB (%s); %d objects held of %d (%.2f KiB each)",
					mode, mode.equals("live") ? "synced" : "loaded", seconds, ready, report, peakRss, gc.peakMiB,
					gc.capacityMiB, gc.fullCollections, heap, (heap <= TARGET_HEAP_MIB) ? "met" : "MISSED", held,
					objects, heap * 1024 / Math.max(1, held));
			System.out.println(line);
			return new Run(seconds, line);
		}
	}

	/** Peak heap in use (before a collection) and full collections, from a {@code -Xlog:gc} file. */
	record GcLog(double peakMiB, double capacityMiB, int fullCollections) {

		static GcLog read(Path file) throws IOException {
			Matcher pause = Pattern.compile("Pause (\\S+).* (\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher("");
			double peak = 0;
			double capacity = 0;
			int full = 0;
			for (String line : Files.readAllLines(file)) {
				if (pause.reset(line).find()) {
					peak = Math.max(peak, Double.parseDouble(pause.group(2)));
					capacity = Math.max(capacity, Double.parseDouble(pause.group(4)));
					// the measurement's own collections (jcmd GC.run) are not the service's
					if (pause.group(1).equals("Full") && !line.contains("(Diagnostic Command)")) {
						full++;
					}
				}
			}
			return new GcLog(peak, capacity, full);
		}

	}

	/** Every kind's collection path on the stand-in, space-separated, for the Python client. */
	private static String paths() {
		List<String> paths = new ArrayList<>();
		for (WatchedKind kind : WatchedKind.values()) {
			paths.add(kind.isCore() ? "/api/v1/" + kind.plural()
					: "/apis/" + kind.group() + "/" + kind.versions().get(0) + "/" + kind.plural());
		}
		return String.join(" ", paths);
	}

	private static final String PYTHON_FETCH = """
			import json, sys, urllib.parse, urllib.request
			port, paths = sys.argv[1], sys.argv[2].split()
			for path in paths:
			    token = None
			    while True:
			        query = {"limit": "%d"}
			        if token:
			            query["continue"] = token
			        url = "http://127.0.0.1:%%s%%s?%%s" %% (port, path, urllib.parse.urlencode(query))
			        page = json.loads(urllib.request.urlopen(url).read())
			        token = page["metadata"].get("continue")
			        if not token:
			            break
			""".formatted(MockApiServer.PAGE_SIZE);

	private static final String PYTHON_LOAD = """
			import json, os, sys
			for name in sorted(os.listdir(sys.argv[1])):
			    if name.endswith(".json"):
			        with open(os.path.join(sys.argv[1], name)) as f:
			            json.load(f)
			""";

	/** Runs a Python script and returns its wall time in seconds (interpreter start included, ~0.02 s). */
	private static double python(Path work, String name, String script, String... args) throws Exception {
		Path file = work.resolve(name);
		Files.writeString(file, script);
		List<String> command = new ArrayList<>(List.of("python3", file.toString()));
		command.addAll(List.of(args));
		long started = System.nanoTime();
		Process process = new ProcessBuilder(command).inheritIO().start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException(name + " failed with " + process.exitValue());
		}
		return (System.nanoTime() - started) / 1e9;
	}

	private static String kubeconfig(int port) {
		return """
				apiVersion: v1
				kind: Config
				clusters:
				- name: mock
				  cluster:
				    server: http://127.0.0.1:%d
				contexts:
				- name: mock
				  context:
				    cluster: mock
				    user: mock
				current-context: mock
				users:
				- name: mock
				  user:
				    token: bench
				""".formatted(port);
	}

	/** The mock API server's process. */
	static final class MockProcess implements AutoCloseable {

		final Process process;

		final int port;

		final long objects;

		long listBytes;

		private MockProcess(Process process, int port, long objects) {
			this.process = process;
			this.port = port;
			this.objects = objects;
		}

		static MockProcess start(Path target, int nodes) throws IOException {
			Path log = target.resolve("bench").resolve("mock-api-server.log");
			Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx10g", "-cp", System.getProperty("java.class.path"), MockApiServer.class.getName(),
					Integer.toString(nodes))
				.redirectError(log.toFile())
				.start();
			BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith("READY ")) {
					String[] parts = line.split(" ");
					List<String> said = Files.readAllLines(log);
					System.out.println("mock API server: " + line + " (" + said.get(said.size() - 1) + ")");
					return new MockProcess(process, Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
				}
			}
			throw new IllegalStateException("The mock API server did not start; see " + log);
		}

		/** GETs every list once, as the informers will; returns the seconds it took. */
		double serveEveryList() throws IOException, InterruptedException {
			HttpClient http = HttpClient.newHttpClient();
			long started = System.nanoTime();
			for (WatchedKind kind : WatchedKind.values()) {
				String path = kind.isCore() ? "/api/v1/" + kind.plural()
						: "/apis/" + kind.group() + "/" + kind.versions().get(0) + "/" + kind.plural();
				HttpResponse<byte[]> response = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
						HttpResponse.BodyHandlers.ofByteArray());
				if (response.statusCode() != 200) {
					throw new IllegalStateException(path + " answered " + response.statusCode());
				}
				this.listBytes += response.body().length;
			}
			return (System.nanoTime() - started) / 1e9;
		}

		@Override
		public void close() throws InterruptedException {
			try (OutputStream in = this.process.getOutputStream()) {
				in.close();
			}
			catch (IOException ex) {
				// already gone
			}
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}

	}

}
