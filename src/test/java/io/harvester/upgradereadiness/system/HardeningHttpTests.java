package io.harvester.upgradereadiness.system;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import io.harvester.upgradereadiness.support.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service exposes and how it answers bad input, on the demo snapshot (the same context as the other demo
 * tests): only the documented endpoints, problems without internals, request limits, and a fuzz of the query
 * string that never yields a 5xx or a stack trace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
class HardeningHttpTests {

	private static final List<String> PATHS = List.of("/api/v1/upgrade-readiness", "/api/v1/checks");

	private static final List<String> NAMES = List.of("checks", "exclude", "targetVersion",
			"skipSingleReplicaDetachedVol", "skipGarbageCollectionThresholdCheck", "minCertsExpirationInDay",
			"skipVersionCheck", "format", "color");

	@LocalServerPort
	int port;

	HttpTestClient http;

	@BeforeEach
	void client() {
		this.http = new HttpTestClient(this.port);
	}

	// ---- exposure ---------------------------------------------------------------------------------------------

	@ParameterizedTest
	@ValueSource(strings = { "/actuator", "/actuator/", "/actuator/env", "/actuator/beans", "/actuator/configprops",
			"/actuator/heapdump", "/actuator/threaddump", "/actuator/mappings", "/actuator/loggers", "/actuator/metrics",
			"/actuator/shutdown", "/error", "/error/x" })
	void undocumentedPathsAreNotFoundProblems(String path) {
		Response response = this.http.get(path);

		assertThat(response.status()).as(path).isEqualTo(404);
		assertThat(response.contentType()).as(path).isEqualTo("application/problem+json");
		assertNoInternals(response.body());
	}

	@Test
	void healthShowsNoFilesystemDetails() {
		Response health = this.http.get("/actuator/health");

		assertThat(health.json().get("components").has("diskSpace")).isFalse();
		assertThat(health.body()).doesNotContain("\"path\"");
		Response diskSpace = this.http.get("/actuator/health/diskSpace");
		assertThat(diskSpace.status()).isEqualTo(404);
		assertThat(diskSpace.body()).isEmpty();
	}

	@Test
	void withoutAllowedOriginsNoOtherOriginMayRead() {
		RawHttp.Response preflight = RawHttp.send(this.port, "OPTIONS",
				"/api/v1/upgrade-readiness".getBytes(StandardCharsets.US_ASCII), "Origin", "https://rancher.example.com",
				"Access-Control-Request-Method", "GET");
		Response read = this.http.get("/api/v1/upgrade-readiness", "Origin", "https://rancher.example.com");

		assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
		assertThat(read.header("Access-Control-Allow-Origin")).isNull();
	}

	// ---- limits -----------------------------------------------------------------------------------------------

	@Test
	void aParameterNameOver64CharactersIsRefusedWithoutRepeatingIt() {
		String name = "n".repeat(65);
		Response response = this.http.get("/api/v1/upgrade-readiness?" + name + "=1");

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.contentType()).isEqualTo("application/problem+json");
		assertThat(response.json().get("detail").asString())
			.isEqualTo("A query parameter name is longer than 64 characters");
		assertThat(response.body()).doesNotContain(name);
	}

	@Test
	void aValueOver64CharactersIsRefused() {
		Response response = this.http.get("/api/v1/upgrade-readiness?targetVersion=v" + "1".repeat(64));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("detail").asString())
			.isEqualTo("A value of 'targetVersion' is longer than 64 characters");
		assertThat(response.json().get("limit").asInt()).isEqualTo(64);
	}

	@Test
	void aCheckIdOver64CharactersIsRefusedBeforeItIsLookedUp() {
		Response response = this.http.get("/api/v1/upgrade-readiness?exclude=machines-running," + "x".repeat(65));

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("detail").asString()).isEqualTo("A value of 'exclude' is longer than 64 characters");
		assertThat(response.body()).doesNotContain("validChecks");
	}

	@Test
	void moreThan64CheckIdsAreRefused() {
		String ids = IntStream.range(0, 65).mapToObj(i -> "machines-running").collect(Collectors.joining(","));
		assertThat(this.http.get("/api/v1/upgrade-readiness?checks=" + ids).json().get("detail").asString())
			.isEqualTo("'checks' names more than 64 check ids");

		String within = IntStream.range(0, 64).mapToObj(i -> "machines-running").collect(Collectors.joining(","));
		assertThat(this.http.get("/api/v1/upgrade-readiness?checks=" + within).status()).isEqualTo(200);
	}

	@Test
	void moreThan64ValuesInAllAreRefused() {
		String query = IntStream.range(0, 65).mapToObj(i -> "color=false").collect(Collectors.joining("&"));
		Response response = this.http.get("/api/v1/checks?" + query);

		assertThat(response.status()).isEqualTo(400);
		assertThat(response.json().get("detail").asString())
			.isEqualTo("The request has more than 64 query parameter values");
	}

	@ParameterizedTest
	@ValueSource(strings = { "checks=%zz", "checks=%", "x=%E0%A4%A", "%ff=1", "targetVersion=%C0%AF", "exclude=%E2%82" })
	void anUndecodableQueryIsABadRequestProblem(String query) {
		RawHttp.Response response = RawHttp.get(this.port, "/api/v1/upgrade-readiness?" + query);

		assertThat(response.status()).as(query).isEqualTo(400);
		assertThat(response.header("Content-Type")).as(query).isEqualTo("application/problem+json");
		assertNoInternals(response.body());
	}

	// ---- fuzz -------------------------------------------------------------------------------------------------

	/**
	 * Random query strings: known and random names, values of every length around the limits, valid and broken
	 * percent-encodings, multi-byte UTF-8, raw bytes, separators, up to 80 parameters. Whatever comes, the answer
	 * is below 500 and carries no stack trace or server internals; refusals by the service are problems.
	 */
	@Test
	void fuzzedQueryStringsNeverYieldA5xxOrAStackTrace() {
		long seed = Long.getLong("fuzz.seed", System.nanoTime());
		Random random = new Random(seed);
		for (int i = 0; i < 400; i++) {
			String path = PATHS.get(random.nextInt(PATHS.size()));
			byte[] query = query(random);
			ByteArrayOutputStream target = new ByteArrayOutputStream();
			target.writeBytes(path.getBytes(StandardCharsets.US_ASCII));
			target.write('?');
			target.writeBytes(query);
			String accept = random.nextBoolean() ? "application/json" : (random.nextBoolean() ? "text/plain" : "*/*");
			RawHttp.Response response = RawHttp.send(this.port, "GET", target.toByteArray(), "Accept", accept);
			String what = "seed " + seed + " (-Dfuzz.seed), request " + i + ": " + path + "?"
					+ new String(query, StandardCharsets.ISO_8859_1);
			assertThat(response.status()).as(what).isBetween(200, 499);
			assertNoInternals(response.body());
			if (response.status() >= 400 && response.status() != 400 || response.body().startsWith("{\"")
					&& response.status() >= 400) {
				assertThat(response.header("Content-Type")).as(what).isEqualTo("application/problem+json");
			}
		}
	}

	private static byte[] query(Random random) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int parameters = random.nextInt(10) == 0 ? 60 + random.nextInt(21) : random.nextInt(6);
		for (int p = 0; p < parameters; p++) {
			if (p > 0) {
				out.write(random.nextInt(20) == 0 ? ';' : '&');
			}
			out.writeBytes(random.nextInt(3) == 0 ? token(random) : NAMES.get(random.nextInt(NAMES.size()))
				.getBytes(StandardCharsets.US_ASCII));
			if (random.nextInt(10) != 0) {
				out.write('=');
				out.writeBytes(value(random));
			}
		}
		return out.toByteArray();
	}

	private static byte[] value(Random random) {
		List<String> ids = CheckCatalogue.standard().ids();
		return switch (random.nextInt(5)) {
			case 0 -> IntStream.range(0, 1 + random.nextInt(70))
				.mapToObj(i -> ids.get(random.nextInt(ids.size())))
				.collect(Collectors.joining(random.nextBoolean() ? "," : "%2C"))
				.getBytes(StandardCharsets.US_ASCII);
			case 1 -> List.of("true", "false", "", "TRUE", "yes", "0", "-1", "2147483648", "text", "json", "v1.5.1")
				.get(random.nextInt(11))
				.getBytes(StandardCharsets.US_ASCII);
			default -> token(random);
		};
	}

	/** A name or value: random length around the limits, of random pieces. */
	private static byte[] token(Random random) {
		int length = switch (random.nextInt(4)) {
			case 0 -> random.nextInt(4);
			case 1 -> 60 + random.nextInt(10);
			case 2 -> random.nextInt(300);
			default -> random.nextInt(30);
		};
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		String printable = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$'()*+,:@/?[]";
		String[] encoded = { "%zz", "%", "%4", "%00", "%ff", "%C0%AF", "%E2%82", "%E2%82%AC", "%F0%9F%98%80", "%25",
				"%26", "%3D", "%2C", "+", "%20", "%0A", "%0D%0A", "%22", "%3Cscript%3E", "%5C" };
		while (out.size() < length) {
			int kind = random.nextInt(20);
			if (kind < 14) {
				out.write(printable.charAt(random.nextInt(printable.length())));
			}
			else if (kind < 19) {
				out.writeBytes(encoded[random.nextInt(encoded.length)].getBytes(StandardCharsets.US_ASCII));
			}
			else {
				// A raw byte outside ASCII or a control character: invalid in a request line. Not CR or LF, which
				// would end the request line (an HTTP/0.9 request, answered without a status line).
				int control = 1 + random.nextInt(31);
				out.write(random.nextBoolean() ? 0x80 + random.nextInt(0x80) : (control == '\n' || control == '\r') ? '\t' : control);
			}
		}
		return out.toByteArray();
	}

	private static void assertNoInternals(String body) {
		assertThat(body).doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContain("java.")
			.doesNotContain("org.apache")
			.doesNotContain("springframework")
			.doesNotContain("Tomcat")
			.doesNotContain("\"trace\"");
	}

}
