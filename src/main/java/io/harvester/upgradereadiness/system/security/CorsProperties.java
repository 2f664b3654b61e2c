package io.harvester.upgradereadiness.system.security;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin reads by browser pages of other origins, {@code upgrade-readiness.cors.*}.
 *
 * @param allowedOrigins origins ({@code https://rancher.example.com}: scheme, host and optional port, no path) whose
 * pages may read the API with {@code GET}; empty (default): none, browsers keep other origins out. {@code *} is
 * refused: name the origins
 */
@ConfigurationProperties("upgrade-readiness.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins) {

	public CorsProperties {
		allowedOrigins = allowedOrigins.stream().map(String::strip).map(CorsProperties::origin).toList();
	}

	private static String origin(String value) {
		String origin = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
		URI uri;
		try {
			uri = new URI(origin);
		}
		catch (java.net.URISyntaxException ex) {
			uri = null;
		}
		boolean valid = uri != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
				&& uri.getHost() != null && !uri.getHost().contains("*") && uri.getRawPath() != null
				&& uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null
				&& uri.getRawUserInfo() == null;
		if (!valid) {
			throw new IllegalArgumentException("upgrade-readiness.cors.allowed-origins: '" + value
					+ "' is not an origin; write scheme, host and optional port, e.g. https://rancher.example.com");
		}
		return origin;
	}

}
