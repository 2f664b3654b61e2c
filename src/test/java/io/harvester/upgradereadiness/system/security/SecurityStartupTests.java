package io.harvester.upgradereadiness.system.security;

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

/** Security settings that cannot work stop start-up with a failure report, not a stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityStartupTests {

	@Test
	void kubernetesModeOverAFileSnapshotIsRefusedAtStartUp(CapturedOutput output) {
		assertThatThrownBy(() -> application(WebApplicationType.SERVLET, "server.port=0",
				"upgrade-readiness.security.mode=kubernetes").run())
			.hasRootCauseInstanceOf(SecurityConfigurationException.class);

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("upgrade-readiness.security.mode=kubernetes needs the Kubernetes API server to review tokens, but "
					+ "the service reads a snapshot from files (upgrade-readiness.snapshot.path=classpath:demo-snapshot)")
			.contains("Serve a file snapshot without authentication (upgrade-readiness.security.mode=none")
			.doesNotContain("Application run failed")
			.doesNotContain("\tat ");
	}

	@Test
	void anUnknownModeIsRefusedWithTheValidOnes(CapturedOutput output) {
		assertThatThrownBy(() -> application(WebApplicationType.NONE, "upgrade-readiness.security.mode=oauth").run())
			.isInstanceOf(RuntimeException.class);

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Failed to bind properties under 'upgrade-readiness.security.mode'")
			.contains("The following values are valid:")
			.contains("KUBERNETES")
			.contains("NONE");
	}

	@Test
	void aWildcardOrAPathIsNotAnOrigin(CapturedOutput output) {
		assertThatThrownBy(() -> application(WebApplicationType.NONE, "upgrade-readiness.cors.allowed-origins=*").run())
			.isInstanceOf(RuntimeException.class);
		assertThat(output).contains("upgrade-readiness.cors.allowed-origins: '*' is not an origin");

		assertThatThrownBy(() -> application(WebApplicationType.NONE,
				"upgrade-readiness.cors.allowed-origins=https://rancher.example.com/dashboard").run())
			.isInstanceOf(RuntimeException.class);
		assertThat(output).contains("'https://rancher.example.com/dashboard' is not an origin");
	}

	@Test
	void theDefaultModeServesAFileSnapshotWithoutTheFilter() {
		try (ConfigurableApplicationContext context = application(WebApplicationType.NONE).run()) {
			assertThat(context.getBean(SecurityProperties.class).mode()).isEqualTo(SecurityProperties.Mode.NONE);
			assertThat(context.getBeanNamesForType(BearerTokenFilter.class)).isEmpty();
			assertThat(context.getBeanNamesForType(org.springframework.boot.web.servlet.FilterRegistrationBean.class))
				.doesNotContain("bearerTokenFilter", "corsFilter");
		}
	}

	private static SpringApplicationBuilder application(WebApplicationType type, String... properties) {
		return new SpringApplicationBuilder(UpgradeReadinessApplication.class).web(type)
			.profiles("demo")
			.properties("spring.main.banner-mode=off")
			.properties(properties);
	}

}
