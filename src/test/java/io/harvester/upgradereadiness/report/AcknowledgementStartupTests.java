package io.harvester.upgradereadiness.report;

import io.harvester.upgradereadiness.UpgradeReadinessApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Invalid acknowledgement rules stop start-up with Spring Boot's failure report naming each rule and what it
 * lacks, and no stack trace. The application starts for real (on the demo snapshot, without a web server).
 */
@ExtendWith(OutputCaptureExtension.class)
class AcknowledgementStartupTests {

	@Test
	void aRuleWithoutAReasonIsRefusedAtStartUp(CapturedOutput output) {
		assertStartUpFails(output, "upgrade-readiness.acknowledgements[0].check=pods-ready",
				"upgrade-readiness.acknowledgements[0].namespace=cattle-monitoring-system");

		assertThat(output).contains("upgrade-readiness.acknowledgements[0]: 'reason' is required: say why the finding "
				+ "is accepted");
	}

	@Test
	void aRuleWithAnUnknownCheckIdOrNoCheckIsRefusedNamingEveryBadRule(CapturedOutput output) {
		assertStartUpFails(output, "upgrade-readiness.acknowledgements[0].check=pods-ready",
				"upgrade-readiness.acknowledgements[0].reason=known",
				"upgrade-readiness.acknowledgements[1].check=machine-runing",
				"upgrade-readiness.acknowledgements[1].reason=typo",
				"upgrade-readiness.acknowledgements[2].name=x", "upgrade-readiness.acknowledgements[2].reason=no check");

		assertThat(output).contains("upgrade-readiness.acknowledgements[1]: unknown check id 'machine-runing'")
			.contains("upgrade-readiness.acknowledgements[2]: 'check' is required")
			.doesNotContain("acknowledgements[0]:");
	}

	@Test
	void aLabelKeyWithASlashOutsideBracketsIsRefusedRatherThanSilentlyNeverMatching(CapturedOutput output) {
		assertStartUpFails(output, "upgrade-readiness.acknowledgements[0].check=pods-ready",
				"upgrade-readiness.acknowledgements[0].reason=known",
				"upgrade-readiness.acknowledgements[0].labelSelector.matchLabels.app.kubernetes.io/name=grafana");

		assertThat(output).contains("upgrade-readiness.acknowledgements[0]: the label key 'app.kubernetes.io/name' must "
				+ "be written in brackets, \"[app.kubernetes.io/name]\"");
	}

	@Test
	void validRulesStart() {
		try (ConfigurableApplicationContext context = application("upgrade-readiness.acknowledgements[0].check=pods-ready",
				"upgrade-readiness.acknowledgements[0].reason=known",
				"upgrade-readiness.acknowledgements[0].labelSelector.matchLabels[app.kubernetes.io/name]=grafana")
			.run()) {
			ReadinessReport report = context.getBean(ReportService.class).report();
			assertThat(report.summary().acknowledged()).isEqualTo(1);
		}
	}

	private static void assertStartUpFails(CapturedOutput output, String... properties) {
		assertThatThrownBy(() -> application(properties).run())
			.hasRootCauseInstanceOf(InvalidAcknowledgementsException.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid acknowledgement rules:")
			.contains("Give every rule of upgrade-readiness.acknowledgements a check id")
			.doesNotContain("Application run failed")
			.doesNotContain("\tat ");
	}

	private static SpringApplicationBuilder application(String... properties) {
		return new SpringApplicationBuilder(UpgradeReadinessApplication.class).web(WebApplicationType.NONE)
			.profiles("demo")
			.properties("spring.main.banner-mode=off")
			.properties(properties);
	}

}
