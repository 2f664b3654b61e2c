package io.harvester.upgradereadiness.publish;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.OpenReportsClient;
import io.harvester.upgradereadiness.cluster.SnapshotProperties;
import io.harvester.upgradereadiness.report.ReportService;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenReports publisher, in live mode when enabled; its health indicator in every mode. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OpenReportsProperties.class)
class PublishConfiguration {

	@Bean
	OpenReportsHealthIndicator openReportsHealthIndicator(OpenReportsProperties properties,
			SnapshotProperties snapshot, ObjectProvider<OpenReportsPublisher> publisher) {
		return new OpenReportsHealthIndicator(() -> {
			OpenReportsPublisher live = publisher.getIfAvailable();
			if (live != null) {
				return live.details();
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("enabled", properties.enabled());
			details.put("reason", !properties.enabled()
					? "publishing is off (upgrade-readiness.publish.open-reports.enabled=false)"
					: "nothing is published in file mode: there is no cluster to write to");
			return details;
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnExpression("'${upgrade-readiness.snapshot.path:}'.trim().isEmpty()")
	@ConditionalOnProperty(prefix = "upgrade-readiness.publish.open-reports", name = "enabled", havingValue = "true")
	static class Live {

		@Bean
		OpenReportsMetrics openReportsMetrics(MeterRegistry registry) {
			return new OpenReportsMetrics(registry);
		}

		@Bean
		OpenReportsPublisher openReportsPublisher(OpenReportsClient client, ReportService reports,
				OpenReportsProperties properties, SnapshotProperties snapshot, Clock clock,
				OpenReportsMetrics metrics) {
			String namespace = (properties.namespace() != null) ? properties.namespace() : client.configuredNamespace();
			return new OpenReportsPublisher(client, reports::report, properties, namespace,
					snapshot.discoveryInterval(), snapshot.discoveryRetryInterval(), clock, metrics);
		}

	}

}
