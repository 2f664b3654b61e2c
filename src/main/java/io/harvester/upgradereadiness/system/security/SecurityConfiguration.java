package io.harvester.upgradereadiness.system.security;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.harvester.upgradereadiness.cluster.SnapshotProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Who may read: the bearer-token filter when {@code upgrade-readiness.security.mode=kubernetes}, and CORS for the
 * origins in {@code upgrade-readiness.cors.allowed-origins}. Two servlet filters, CORS first so that preflights
 * (which carry no token) are answered and refusals carry CORS headers a browser page can read. No Spring Security:
 * the service has one question to ask (may this token get the report?) and the API server answers it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ SecurityProperties.class, CorsProperties.class })
class SecurityConfiguration {

	static final int CORS_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	static final int TOKEN_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	@Bean
	@Conditional(CorsOriginsConfigured.class)
	FilterRegistrationBean<CorsFilter> corsFilter(CorsProperties properties) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(properties.allowedOrigins());
		// Preflights are OPTIONS requests asking for GET; nothing else is read across origins.
		cors.setAllowedMethods(List.of("GET"));
		cors.setAllowedHeaders(List.of("Authorization", "Accept"));
		cors.setExposedHeaders(List.of("Retry-After", "WWW-Authenticate"));
		cors.setAllowCredentials(false);
		cors.setMaxAge(Duration.ofMinutes(30));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", cors);
		CorsFilter filter = new CorsFilter(source);
		filter.setCorsProcessor(new ProblemCorsProcessor());
		FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setOrder(CORS_ORDER);
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(KubernetesMode.class)
	static class KubernetesTokens {

		@Bean
		FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(SecurityProperties properties,
				SnapshotProperties snapshot, ObjectProvider<KubernetesClient> client, Clock clock) {
			if (snapshot.fileMode()) {
				throw new SecurityConfigurationException(
						"upgrade-readiness.security.mode=kubernetes needs the Kubernetes API server to review tokens, "
								+ "but the service reads a snapshot from files (upgrade-readiness.snapshot.path="
								+ snapshot.path().trim() + ") and has no API server to ask.",
						"Serve a file snapshot without authentication (upgrade-readiness.security.mode=none, the "
								+ "default) and keep it private to your machine, or read the live cluster (unset "
								+ "upgrade-readiness.snapshot.path) to use security.mode=kubernetes.");
			}
			BearerTokenFilter filter = new BearerTokenFilter(new KubernetesAccessReviewer(client.getObject()),
					new DecisionCache(clock, properties.cacheTtl(), properties.cacheSize()));
			FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(TOKEN_ORDER);
			return registration;
		}

	}

	/** {@code upgrade-readiness.security.mode} is {@code kubernetes} (in any case). */
	static class KubernetesMode implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			try {
				return Binder.get(context.getEnvironment())
					.bind("upgrade-readiness.security.mode", SecurityProperties.Mode.class)
					.map(mode -> mode == SecurityProperties.Mode.KUBERNETES)
					.orElse(false);
			}
			catch (RuntimeException ex) {
				// An invalid mode: binding SecurityProperties reports it with the valid values.
				return false;
			}
		}

	}

	/** At least one origin in {@code upgrade-readiness.cors.allowed-origins}. */
	static class CorsOriginsConfigured implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return Binder.get(context.getEnvironment())
				.bind("upgrade-readiness.cors.allowed-origins", Bindable.listOf(String.class))
				.map(origins -> origins.stream().anyMatch(origin -> !origin.isBlank()))
				.orElse(false);
		}

	}

}
