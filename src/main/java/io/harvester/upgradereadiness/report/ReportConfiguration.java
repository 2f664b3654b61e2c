package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.util.List;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.cluster.SnapshotProperties;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/** Wires the check catalogue and the report service. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ChecksProperties.class, AcknowledgementProperties.class })
class ReportConfiguration {

	@Bean
	CheckCatalogue checkCatalogue() {
		return CheckCatalogue.standard();
	}

	/**
	 * The operators' acknowledgement rules, validated: a rule without a reason or with an unknown check id, or a
	 * label key that Spring's binding would change, stops start-up (see {@link InvalidAcknowledgementsFailureAnalyzer}).
	 */
	@Bean
	Acknowledgements acknowledgements(AcknowledgementProperties properties, CheckCatalogue catalogue,
			ConfigurableEnvironment environment) {
		List<String> mangled = Acknowledgements.mangledLabelKeys(environment);
		if (!mangled.isEmpty()) {
			throw new InvalidAcknowledgementsException(mangled);
		}
		return Acknowledgements.of(properties.acknowledgements(), catalogue);
	}

	@Bean
	ReportService reportService(SnapshotSource source, CheckCatalogue catalogue, Clock clock,
			ChecksProperties properties, SnapshotProperties snapshotProperties, JsonMapper jsonMapper,
			Acknowledgements acknowledgements) {
		return new ReportService(source, catalogue, new CheckRunner(), clock, properties.toOptions(),
				snapshotProperties.maxStaleness(), jsonMapper, acknowledgements);
	}

	@Bean
	UpgradeReadinessHealthIndicator upgradeReadinessHealthIndicator(ReportService reports) {
		return new UpgradeReadinessHealthIndicator(reports);
	}

}
