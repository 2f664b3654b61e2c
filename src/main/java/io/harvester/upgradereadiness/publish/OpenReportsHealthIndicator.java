package io.harvester.upgradereadiness.publish;

import java.util.function.Supplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code openReports} in {@code /actuator/health/readiness}: whether the Report is published and, if not, why. Always
 * UP: publishing is a side line, and a cluster without the OpenReports CRD, or an API server refusing the write, must
 * not take the service out of its Service's endpoints. The reason is in the details.
 */
class OpenReportsHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<java.util.Map<String, Object>> details;

	OpenReportsHealthIndicator(Supplier<java.util.Map<String, Object>> details) {
		super("OpenReports publishing state could not be read");
		this.details = details;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.up().withDetails(this.details.get());
	}

}
