package io.harvester.upgradereadiness.system.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenFilterTests {

	@Test
	void readsTheTokenOfABearerHeader() {
		assertThat(BearerTokenFilter.bearerToken("Bearer abc.def-ghi_jkl")).isEqualTo("abc.def-ghi_jkl");
		assertThat(BearerTokenFilter.bearerToken("bearer  abc ")).isEqualTo("abc");
		assertThat(BearerTokenFilter.bearerToken("BEARER abc")).isEqualTo("abc");
	}

	@Test
	void refusesHeadersWithoutAUsableToken() {
		assertThat(BearerTokenFilter.bearerToken(null)).isNull();
		assertThat(BearerTokenFilter.bearerToken("")).isNull();
		assertThat(BearerTokenFilter.bearerToken("Bearer")).isNull();
		assertThat(BearerTokenFilter.bearerToken("Bearer    ")).isNull();
		assertThat(BearerTokenFilter.bearerToken("Basic dXNlcjpwdw==")).isNull();
		assertThat(BearerTokenFilter.bearerToken("Bearer two words")).isNull();
		assertThat(BearerTokenFilter.bearerToken("Bearer caf\u00e9")).isNull();
		assertThat(BearerTokenFilter.bearerToken("Bearer " + "a".repeat(16 * 1024 + 1))).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/index.html", "/page.js", "/page.css", "/favicon.ico", "/actuator/health",
			"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health/upgrade" })
	void theProbesAndThePageAreOpen(String path) {
		assertThat(BearerTokenFilter.open(request(path))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/upgrade-readiness", "/api/v1/checks", "/v3/api-docs", "/swagger-ui.html",
			"/swagger-ui/index.html", "/actuator/info", "/actuator", "/actuator/healthz", "/error", "/nothing",
			"/actuator/health/../../api/v1/upgrade-readiness", "/actuator/health/%2e%2e/api", "/actuator/health;x",
			"/actuator/health/;/../api", "//actuator/health", "/actuator/health//x", "/index.html/..", "" })
	void everythingElseFollowsTheApisRule(String path) {
		assertThat(BearerTokenFilter.open(request(path))).isFalse();
	}

	@Test
	void pathsAreMatchedBelowTheContextPath() {
		MockHttpServletRequest request = request("/readiness/actuator/health/liveness");
		request.setContextPath("/readiness");
		assertThat(BearerTokenFilter.open(request)).isTrue();
	}

	private static MockHttpServletRequest request(String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.setRequestURI(uri);
		return request;
	}

}
