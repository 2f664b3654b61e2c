package io.harvester.upgradereadiness.report;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The cluster's upgrade readiness as a health indicator ({@code upgradeReadiness}), for the separate
 * {@code upgrade} health group: UP when the verdict is READY, DOWN with the blocking count when something blocks,
 * UNKNOWN when the answer is not known. It is never part of liveness or readiness: a cluster that must not be
 * upgraded must not take this service offline. It reads the memoised report; it never calls the API server.
 */
class UpgradeReadinessHealthIndicator extends AbstractHealthIndicator {

	private final ReportService reports;

	UpgradeReadinessHealthIndicator(ReportService reports) {
		super("Upgrade readiness could not be evaluated");
		this.reports = reports;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ReadinessReport report;
		try {
			report = this.reports.report();
		}
		catch (SnapshotUnavailableException ex) {
			builder.unknown().withDetail("verdict", Verdict.UNKNOWN).withDetail("reason", ex.getMessage());
			return;
		}
		switch (report.verdict()) {
			case READY -> builder.up();
			case NOT_READY -> builder.down();
			case UNKNOWN -> builder.unknown();
		}
		builder.withDetail("verdict", report.verdict())
			.withDetail("blockingFindings", report.summary().blockingFindings())
			.withDetail("findings", report.summary().findings())
			.withDetail("checksErrored", report.summary().errored())
			.withDetail("checksSkipped", report.summary().skipped())
			.withDetail("snapshotVersion", report.snapshot().version());
	}

}
