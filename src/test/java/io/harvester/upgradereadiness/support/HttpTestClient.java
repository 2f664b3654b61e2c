package io.harvester.upgradereadiness.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP against the running service, with JSON bodies parsed for assertions. */
public final class HttpTestClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NORMAL)
		.build();

	private final String base;

	public HttpTestClient(int port) {
		this.base = "http://localhost:" + port;
	}

	public Response get(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path)).timeout(Duration.ofSeconds(20));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			HttpResponse<String> response = this.http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response);
		}
		catch (IOException ex) {
			throw new IllegalStateException("GET " + path + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The {@code snapshot.kinds[]} entry of a report for a resource, such as {@code machines.cluster.x-k8s.io}. */
	public static JsonNode kind(JsonNode report, String resource) {
		for (JsonNode kind : report.get("snapshot").get("kinds")) {
			if (resource.equals(kind.get("resource").asString())) {
				return kind;
			}
		}
		throw new AssertionError("no kind " + resource + " in the report");
	}

	/** One response. */
	public record Response(HttpResponse<String> raw) {

		public int status() {
			return this.raw.statusCode();
		}

		public String body() {
			return this.raw.body();
		}

		public String header(String name) {
			return this.raw.headers().firstValue(name).orElse(null);
		}

		public String contentType() {
			return header("Content-Type");
		}

		public JsonNode json() {
			return JSON.readTree(this.raw.body());
		}

	}

}
