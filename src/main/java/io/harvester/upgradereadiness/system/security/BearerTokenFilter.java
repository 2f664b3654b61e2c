package io.harvester.upgradereadiness.system.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code upgrade-readiness.security.mode=kubernetes}: every request needs {@code Authorization: Bearer <token>}
 * that the API server authenticates and authorises (see {@link KubernetesAccessReviewer}), except the health probes
 * ({@code /actuator/health/**}), the page's static files at {@code /} and CORS preflights. Anything else, including
 * {@code /v3/api-docs}, Swagger UI, {@code /actuator/info} and unknown paths, follows the API's rule.
 * <p>
 * Answers are problems that say what is missing, never why a token failed: 401 with {@code WWW-Authenticate: Bearer}
 * (no token, or one the API server does not accept), 403 (the token's user may not read), 503 with
 * {@code Retry-After} (the API server cannot review the token now). The token is neither stored nor logged: decisions
 * are cached under its SHA-256 hash.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Paths open to anyone: the probes and the page (whose own requests to the API need a token). */
	private static final Set<String> OPEN_PATHS = Set.of("/", "/index.html", "/page.css", "/page.js", "/favicon.ico",
			"/actuator/health");

	private static final String OPEN_PREFIX = "/actuator/health/";

	/** Longer than any service account or OIDC token; a longer header is refused without a review. */
	private static final int MAX_TOKEN_LENGTH = 16 * 1024;

	static final String REALM = "Bearer realm=\"harvester-upgrade-readiness\"";

	static final int RETRY_AFTER_SECONDS = 5;

	/**
	 * The detail of a 401 without a token. The API server strips the caller's Authorization header before it proxies
	 * to a Service, so every request through Rancher's or Harvester's service proxy arrives here without one.
	 */
	static final String PROXY_HINT = "Send a Kubernetes bearer token: Authorization: Bearer <token>. Requests through "
			+ "the Kubernetes service proxy (Rancher's or Harvester's /api/v1/namespaces/<namespace>/services/<service>"
			+ "/proxy/) carry no token: the API server removes it before proxying. Behind the proxy, run the service "
			+ "with upgrade-readiness.security.mode=none and let RBAC on services/proxy decide; see docs/operations.md, "
			+ "\"Behind the service proxy\".";

	private final KubernetesAccessReviewer reviewer;

	private final DecisionCache cache;

	BearerTokenFilter(KubernetesAccessReviewer reviewer, DecisionCache cache) {
		this.reviewer = reviewer;
		this.cache = cache;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return CorsUtils.isPreFlightRequest(request) || open(request);
	}

	/**
	 * Whether the request is for an open path. Decided on the raw path and failing closed: a path with encoded
	 * characters, path parameters, dot segments or doubled slashes is never open, so no spelling of a protected path
	 * can pass for an open one.
	 */
	static boolean open(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String context = request.getContextPath();
		if (uri == null || (context != null && !context.isEmpty() && !uri.startsWith(context))) {
			return false;
		}
		String path = (context != null) ? uri.substring(context.length()) : uri;
		if (path.isEmpty() || path.contains("%") || path.contains(";") || path.contains("..") || path.contains("//")
				|| path.contains("\\")) {
			return false;
		}
		return OPEN_PATHS.contains(path) || path.startsWith(OPEN_PREFIX);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (token == null) {
			unauthorized(request, response, false);
			return;
		}
		AccessDecision decision;
		try {
			decision = this.cache.decide(token, this.reviewer::review);
		}
		catch (ReviewUnavailableException ex) {
			log.warn("Cannot review a bearer token, answering 503: {}", ex.getMessage());
			unavailable(request, response);
			return;
		}
		switch (decision.outcome()) {
			case ALLOWED -> chain.doFilter(request, response);
			case UNAUTHENTICATED -> unauthorized(request, response, true);
			case FORBIDDEN -> {
				log.debug("User {} may not get {}", decision.user(), KubernetesAccessReviewer.PATH);
				forbidden(request, response);
			}
		}
	}

	/** The token of {@code Bearer <token>} (scheme case-insensitive), or {@code null} without a usable one. */
	static String bearerToken(String header) {
		if (header == null) {
			return null;
		}
		String value = header.strip();
		if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
			return null;
		}
		String token = value.substring(7).strip();
		if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
			return null;
		}
		return token;
	}

	private static void unauthorized(HttpServletRequest request, HttpServletResponse response, boolean rejected)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, rejected ? REALM + ", error=\"invalid_token\"" : REALM);
		Map<String, Object> problem = problem(request, 401, "urn:upgrade-readiness:problem:unauthenticated",
				"Authentication required",
				rejected ? "The bearer token was not accepted. Send a valid Kubernetes token."
						: PROXY_HINT);
		write(response, 401, problem);
	}

	private static void forbidden(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Map<String, Object> problem = problem(request, 403, "urn:upgrade-readiness:problem:forbidden", "Forbidden",
				"The token's user may not read the upgrade readiness report: it needs get on the non-resource URL "
						+ KubernetesAccessReviewer.PATH + " (see the chart's example ClusterRole).");
		problem.put("missingRule", Map.of("nonResourceURLs", List.of(KubernetesAccessReviewer.PATH), "verbs",
				List.of(KubernetesAccessReviewer.VERB)));
		write(response, 403, problem);
	}

	private static void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
		write(response, 503, problem(request, 503, "urn:upgrade-readiness:problem:review-unavailable",
				"Cannot verify the token now",
				"The Kubernetes API server cannot review the bearer token now; retry later."));
	}

	private static Map<String, Object> problem(HttpServletRequest request, int status, String type, String title,
			String detail) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", type);
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", detail);
		if (request.getRequestURI().length() <= 256) {
			problem.put("instance", request.getRequestURI());
		}
		return problem;
	}

	private static void write(HttpServletResponse response, int status, Map<String, Object> problem)
			throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.getOutputStream().write(JSON.writeValueAsBytes(problem));
	}

}
