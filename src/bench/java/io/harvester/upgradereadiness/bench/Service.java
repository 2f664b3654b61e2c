package io.harvester.upgradereadiness.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code target/upgrade-readiness.jar}) in a process of its own, on a free loopback port, with
 * its output in a log file: started, waited for, measured (heap after a full GC, through {@code jcmd}) and stopped.
 */
final class Service implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Process process;

	private final int port;

	private final long startedNanos;

	private final Path log;

	private Service(Process process, int port, long startedNanos, Path log) {
		this.process = process;
		this.port = port;
		this.startedNanos = startedNanos;
		this.log = log;
	}

	/**
	 * Starts the jar.
	 * @param target the build directory holding {@code upgrade-readiness.jar}
	 * @param name names the log file ({@code target/bench/<name>.log})
	 * @param env environment variables to add
	 * @param jvmOptions options for the JVM, before {@code -jar}
	 * @param args application arguments
	 */
	static Service start(Path target, String name, Map<String, String> env, List<String> jvmOptions,
			List<String> args) throws IOException {
		return start(target, name, env, jvmOptions, args, target.resolve("upgrade-readiness.jar"));
	}

	/** The same, with another jar (such as the extracted one class-data sharing needs). */
	static Service start(Path target, String name, Map<String, String> env, List<String> jvmOptions,
			List<String> args, Path jar) throws IOException {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No " + jar + ": run the benchmark through Maven (package runs first)");
		}
		int port = freePort();
		Path log = Files.createDirectories(target.resolve("bench")).resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		command.add("--server.port=" + port);
		command.add("--server.address=127.0.0.1");
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile());
		builder.environment().keySet().removeIf(k -> k.startsWith("UPGRADE_READINESS_") || k.equals("KUBECONFIG"));
		builder.environment().putAll(env);
		long started = System.nanoTime();
		return new Service(builder.start(), port, started, log);
	}

	Path log() {
		return this.log;
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	/** Waits until the path answers 200; returns the seconds since the process was started. */
	double awaitOk(String path, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The service exited with " + this.process.exitValue() + "; see "
						+ this.log);
			}
			if (status(path) == 200) {
				return (System.nanoTime() - this.startedNanos) / 1e9;
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException(path + " did not answer 200 within " + timeout + "; see " + this.log);
	}

	int status(String path) {
		try {
			return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	String get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString())
			.body();
	}

	/** The heap in use after two full collections, in MiB, as {@code jcmd GC.heap_info} reports it. */
	double heapAfterFullGcMiB() throws IOException, InterruptedException {
		jcmd("GC.run");
		jcmd("GC.run");
		String info = jcmd("GC.heap_info");
		// G1 says one heap; the serial and parallel collectors one line per generation
		Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
		long kib = 0;
		boolean found = false;
		while (used.find()) {
			kib += Long.parseLong(used.group(2));
			found = true;
		}
		if (!found) {
			throw new IllegalStateException("Cannot read the heap from: " + info);
		}
		return kib / 1024.0;
	}

	/** The process's peak resident set so far (the kernel's high-water mark), in MiB. */
	double peakRssMiB() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
			}
		}
		return -1;
	}

	/** The process's resident set, in MiB. */
	double rssMiB() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
			}
		}
		return -1;
	}

	private String jcmd(String command) throws IOException, InterruptedException {
		Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
		Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		process.waitFor(60, TimeUnit.SECONDS);
		return output;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
