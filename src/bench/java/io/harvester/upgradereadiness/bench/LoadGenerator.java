package io.harvester.upgradereadiness.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load generator: each connection is a thread that sends a GET, reads the whole response
 * (Content-Length or chunked) and sends the next one, on a kept-alive socket, until the time is up. Latency is the
 * time from writing the request to reading the last byte. Run from the benchmark's JVM, a process of its own,
 * against the service on loopback.
 */
final class LoadGenerator {

	private LoadGenerator() {
	}

	static Result run(int port, String path, int connections, Duration duration) throws InterruptedException {
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: application/json\r\n"
				+ "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
		long deadline = System.nanoTime() + duration.toNanos();
		Histogram latencies = new Histogram(Duration.ofMinutes(1).toNanos(), 3);
		AtomicLong bytes = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		long started = System.nanoTime();
		for (int i = 0; i < connections; i++) {
			Thread thread = new Thread(() -> {
				Histogram mine = new Histogram(Duration.ofMinutes(1).toNanos(), 3);
				while (System.nanoTime() < deadline) {
					try (Socket socket = new Socket()) {
						socket.setTcpNoDelay(true);
						socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
						socket.setSoTimeout(60_000);
						OutputStream out = socket.getOutputStream();
						InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
						while (System.nanoTime() < deadline) {
							long sent = System.nanoTime();
							out.write(request);
							out.flush();
							Response response = Response.read(in);
							mine.recordValue(Math.min(System.nanoTime() - sent, mine.getHighestTrackableValue()));
							bytes.addAndGet(response.bodyBytes);
							if (response.status != 200) {
								errors.incrementAndGet();
							}
							if (response.close) {
								break;
							}
						}
					}
					catch (IOException ex) {
						errors.incrementAndGet();
					}
				}
				synchronized (latencies) {
					latencies.add(mine);
				}
			}, "load-" + i);
			threads.add(thread);
			thread.start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		return new Result(path, connections, seconds, latencies, bytes.get(), errors.get());
	}

	/**
	 * What one run measured.
	 *
	 * @param path the path requested
	 * @param connections concurrent connections
	 * @param seconds how long it ran
	 * @param latencies response times in nanoseconds
	 * @param bytes body bytes received
	 * @param errors responses other than 200, and connection failures
	 */
	record Result(String path, int connections, double seconds, Histogram latencies, long bytes, long errors) {

		long requests() {
			return this.latencies.getTotalCount();
		}

		double throughput() {
			return requests() / this.seconds;
		}

		double percentileMillis(double percentile) {
			return this.latencies.getValueAtPercentile(percentile) / 1e6;
		}

		String describe() {
			return String.format("%-34s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms  "
					+ "%8d B/resp  %d errors  (%d requests, %d connections, %.0f s)", this.path, throughput(),
					percentileMillis(50), percentileMillis(99), percentileMillis(99.9),
					this.latencies.getMaxValue() / 1e6, (requests() > 0) ? this.bytes / requests() : 0, this.errors,
					requests(), this.connections, this.seconds);
		}

	}

	/** The parts of a response the generator needs. */
	private record Response(int status, long bodyBytes, boolean close) {

		static Response read(InputStream in) throws IOException {
			String statusLine = line(in);
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			long length = -1;
			boolean chunked = false;
			boolean close = false;
			String header;
			while (!(header = line(in)).isEmpty()) {
				int colon = header.indexOf(':');
				String name = header.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
				String value = header.substring(colon + 1).trim();
				switch (name) {
					case "content-length" -> length = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
					case "connection" -> close = value.equalsIgnoreCase("close");
					default -> {
					}
				}
			}
			long body = 0;
			if (chunked) {
				long size;
				while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
					skip(in, size);
					body += size;
					line(in);
				}
				while (!line(in).isEmpty()) {
					// trailers
				}
			}
			else if (length >= 0) {
				skip(in, length);
				body = length;
			}
			return new Response(status, body, close);
		}

		private static void skip(InputStream in, long count) throws IOException {
			long left = count;
			while (left > 0) {
				long skipped = in.skip(left);
				if (skipped <= 0) {
					if (in.read() < 0) {
						throw new IOException("connection closed in a body");
					}
					skipped = 1;
				}
				left -= skipped;
			}
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) >= 0) {
				if (c == '\n') {
					int end = line.length();
					return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
				}
				line.append((char) c);
			}
			throw new IOException("connection closed");
		}

	}

}
