package io.harvester.upgradereadiness.report;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.support.HttpTestClient;
import io.harvester.upgradereadiness.support.HttpTestClient.Response;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over HTTP, a report on an unchanged snapshot is evaluated once: the application's checks are wrapped so that
 * every evaluation is counted, per check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
@Import(ReportMemoisationHttpTests.CountingChecks.class)
class ReportMemoisationHttpTests {

	@LocalServerPort
	int port;

	@Test
	void twoRequestsOnAnUnchangedSnapshotEvaluateTheChecksOnce() {
		HttpTestClient http = new HttpTestClient(this.port);

		Response first = http.get("/api/v1/upgrade-readiness");
		Response second = http.get("/api/v1/upgrade-readiness");
		Response text = http.get("/api/v1/upgrade-readiness?format=text");

		assertThat(first.status()).isEqualTo(200);
		assertThat(second.json().get("findings")).isEqualTo(first.json().get("findings"));
		assertThat(text.body()).startsWith("Harvester upgrade readiness: NOT_READY");
		assertThat(CountingChecks.evaluations("machines-running")).isEqualTo(1);
		assertThat(CountingChecks.evaluations("pods-ready")).isEqualTo(1);

		http.get("/api/v1/upgrade-readiness?exclude=pods-ready");
		http.get("/api/v1/upgrade-readiness?exclude=pods-ready");
		assertThat(CountingChecks.evaluations("machines-running")).as("a new selection, once").isEqualTo(2);
		assertThat(CountingChecks.evaluations("pods-ready")).isEqualTo(1);
	}

	/** Replaces the catalogue with the same checks, each counting its evaluations. */
	@TestConfiguration(proxyBeanMethods = false)
	static class CountingChecks {

		private static final Map<String, AtomicInteger> EVALUATIONS = new ConcurrentHashMap<>();

		static int evaluations(String id) {
			return EVALUATIONS.getOrDefault(id, new AtomicInteger()).get();
		}

		@Bean
		static BeanPostProcessor countingCatalogue() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof CheckCatalogue catalogue) {
						return new CheckCatalogue(catalogue.all().stream().map(CountingChecks::counted).toList());
					}
					return bean;
				}

			};
		}

		private static Check counted(Check check) {
			return new Check() {

				@Override
				public CheckDefinition definition() {
					return check.definition();
				}

				@Override
				public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
					EVALUATIONS.computeIfAbsent(check.definition().id(), id -> new AtomicInteger()).incrementAndGet();
					return check.evaluate(snapshot, context);
				}

			};
		}

	}

}
