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

import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.support.SyntheticCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sync: the packaged service syncing a 5 000-node synthetic cluster, live from a fabric8 mock API server in another
 * process, and loaded from a file dump; for each, the time from process start to readiness (every kind synced or
 * read), to the first report, and the heap after a full GC.
 */
final class SyncBench {

	static final int NODES = Integer.getInteger("bench.nodes", 5000);

	/** JVM options for the service, such as {@code -Xmx12g}; none by default (the JVM's default heap). */
	private static final String SERVICE_JVM = System.getProperty("bench.serviceJvm", "");

	private static final double TARGET_SECONDS = 10;

	private static final double TARGET_HEAP_MIB = 512;

	private SyncBench() {
	}

	static void run(Path target) throws Exception {
		Path work = Files.createDirectories(target.resolve("bench"));
		List<String> results = new ArrayList<>();
		System.out.printf("Starting a mock API server with a %d-node cluster (with managedFields) ...%n", NODES);
		List<String> jvm = SERVICE_JVM.isBlank() ? List.of() : List.of(SERVICE_JVM.trim().split("\\s+"));
		try (MockProcess mock = MockProcess.start(target, NODES)) {
			double lists = mock.serveEveryList();
			Path kubeconfig = work.resolve("mock-kubeconfig.yaml");
			Files.writeString(kubeconfig, kubeconfig(mock.port));
			results.add(String.format("the mock API server alone serves every list once in %.1f s (%.0f MiB of JSON)",
					lists, mock.listBytes / 1024.0 / 1024.0));
			results.add(measure(target, "sync-live", Map.of("KUBECONFIG", kubeconfig.toString()), jvm, "live",
					mock.objects));
		}
		Path files = work.resolve("snapshot-" + NODES);
		long objects = writeFiles(files);
		results.add(measure(target, "sync-files", Map.of("UPGRADE_READINESS_SNAPSHOT_PATH", files.toString()), jvm,
				"files", objects));
		System.out.println();
		System.out.printf("== sync: %d nodes (targets: ready <= %.0f s, heap <= %.0f MiB) ==%n", NODES, TARGET_SECONDS,
				TARGET_HEAP_MIB);
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

	private static String measure(Path target, String name, Map<String, String> env, List<String> jvm, String mode,
			long objects) throws Exception {
		System.out.printf("Starting the service (%s) %s...%n", mode, jvm);
		try (Service service = Service.start(target, name, env, jvm, List.of())) {
			double ready = service.awaitOk("/actuator/health/readiness", Duration.ofMinutes(10));
			double report = service.awaitOk("/api/v1/upgrade-readiness", Duration.ofMinutes(10));
			JsonNode body = JsonMapper.builder().build().readTree(service.get("/api/v1/upgrade-readiness"));
			long held = 0;
			for (JsonNode kind : body.get("snapshot").get("kinds")) {
				held += kind.path("count").asLong(0);
			}
			double heap = service.heapAfterFullGcMiB();
			double rss = service.rssMiB();
			String result = String.format(
					"%-5s: ready after %5.1f s (%s), first report after %5.1f s; heap after full GC %6.0f MiB (%s), "
							+ "RSS %5.0f MiB; %d objects held of %d (%.2f KiB each)",
					mode, ready, (ready <= TARGET_SECONDS) ? "met" : "MISSED", report, heap,
					(heap <= TARGET_HEAP_MIB) ? "met" : "MISSED", rss, held, objects, heap * 1024 / Math.max(1, held));
			System.out.println(result);
			return result;
		}
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
					"-Xmx6g", "-cp", System.getProperty("java.class.path"), MockApiServer.class.getName(),
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
