package io.harvester.upgradereadiness.system;

import java.time.Clock;
import java.util.List;

import io.harvester.upgradereadiness.cluster.SnapshotSource;
import io.harvester.upgradereadiness.report.ReportService;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clock everything reads time from, the readiness metrics, and the OpenAPI document's description. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

	/** The OpenAPI security scheme of Kubernetes bearer tokens. */
	static final String BEARER = "kubernetesBearer";

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	ReadinessMetrics readinessMetrics(ReportService reports, SnapshotSource source, Clock clock,
			MeterRegistry registry) {
		return new ReadinessMetrics(reports, source, clock, registry);
	}

	@Bean
	OpenAPI upgradeReadinessOpenApi() {
		return new OpenAPI().info(new Info().title("Harvester upgrade readiness")
			.version("v1")
			.description("Read-only answers to \"can this Harvester cluster be upgraded now, and if not, exactly what "
					+ "stands in the way and how do I fix it?\". Findings are computed by pure checks over a cached "
					+ "cluster snapshot; a request never lists the API server. Errors are RFC 9457 problem responses.")
			.license(new License().name("Apache-2.0")))
			// Optional: without a requirement ({}) by default; a Kubernetes bearer token with
			// upgrade-readiness.security.mode=kubernetes.
			.components(new Components().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
				.scheme("bearer")
				.description("A Kubernetes bearer token (service account or user), needed only when the service runs with "
						+ "upgrade-readiness.security.mode=kubernetes. The API server authenticates it (TokenReview) and "
						+ "authorises get on the non-resource URL /api/v1/upgrade-readiness (SubjectAccessReview).")))
			.security(List.of(new SecurityRequirement(), new SecurityRequirement().addList(BEARER)))
			// A relative server keeps the document independent of how the service is reached (port-forward,
			// Rancher's proxy path), so that the committed contract matches the running service.
			.servers(List.of(new Server().url("/").description("this service")));
	}

}
