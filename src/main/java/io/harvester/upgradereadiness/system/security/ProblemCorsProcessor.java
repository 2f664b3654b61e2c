package io.harvester.upgradereadiness.system.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.DefaultCorsProcessor;

/** Spring's CORS processing, refusing a cross-origin request with a problem instead of a bare text. */
class ProblemCorsProcessor extends DefaultCorsProcessor {

	private static final byte[] PROBLEM = ("{\"type\":\"urn:upgrade-readiness:problem:cors-refused\","
			+ "\"title\":\"Cross-origin request refused\",\"status\":403,\"detail\":\"This origin, method or header is "
			+ "not allowed: see upgrade-readiness.cors.allowed-origins (GET only).\"}")
		.getBytes(StandardCharsets.UTF_8);

	@Override
	protected void rejectRequest(ServerHttpResponse response) throws IOException {
		response.setStatusCode(HttpStatus.FORBIDDEN);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getBody().write(PROBLEM);
		response.flush();
	}

}
