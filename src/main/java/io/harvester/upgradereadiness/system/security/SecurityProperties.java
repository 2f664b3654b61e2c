package io.harvester.upgradereadiness.system.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may read the API, {@code upgrade-readiness.security.*}.
 *
 * @param mode {@code none} (default): anyone who reaches the service; {@code kubernetes}: a bearer token that the
 * API server authenticates (TokenReview) and authorises for {@code get} on the non-resource URL
 * {@code /api/v1/upgrade-readiness} (SubjectAccessReview)
 * @param cacheTtl how long a decision about one token is reused; {@code 0s}: every request is reviewed
 * @param cacheSize how many tokens' decisions are kept at most (least recently used go first)
 */
@ConfigurationProperties("upgrade-readiness.security")
public record SecurityProperties(@DefaultValue("none") Mode mode, @DefaultValue("30s") Duration cacheTtl,
		@DefaultValue("1024") int cacheSize) {

	public SecurityProperties {
		if (cacheTtl.isNegative()) {
			throw new IllegalArgumentException("upgrade-readiness.security.cache-ttl must not be negative, got " + cacheTtl);
		}
		if (cacheSize < 1) {
			throw new IllegalArgumentException("upgrade-readiness.security.cache-size must be at least 1, got " + cacheSize);
		}
	}

	/** How requests are authenticated. */
	public enum Mode {

		/** No authentication: the network decides who may ask (the default; the README demo). */
		NONE,

		/** Kubernetes bearer tokens, reviewed by the API server, as kube-rbac-proxy does. */
		KUBERNETES

	}

}
