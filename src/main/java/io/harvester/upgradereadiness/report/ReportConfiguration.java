package io.harvester.upgradereadiness.report;

import java.time.Clock;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.cluster.SnapshotProperties;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the check catalogue and the report service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ChecksProperties.class)
class ReportConfiguration {

	@Bean
	CheckCatalogue checkCatalogue() {
		return CheckCatalogue.standard();
	}

	@Bean
	ReportService reportService(SnapshotSource source, CheckCatalogue catalogue, Clock clock,
			ChecksProperties properties, SnapshotProperties snapshotProperties, JsonMapper jsonMapper) {
		return new ReportService(source, catalogue, new CheckRunner(), clock, properties.toOptions(),
				snapshotProperties.maxStaleness(), jsonMapper);
	}

	@Bean
	UpgradeReadinessHealthIndicator upgradeReadinessHealthIndicator(ReportService reports) {
		return new UpgradeReadinessHealthIndicator(reports);
	}

}
