package io.harvester.upgradereadiness.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.OpenReportsClient;
import io.harvester.upgradereadiness.publish.OpenReportsMetrics;
import io.harvester.upgradereadiness.publish.OpenReportsProperties;
import io.harvester.upgradereadiness.publish.OpenReportsPublisher;
import io.harvester.upgradereadiness.report.ReportService;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What {@code /actuator/prometheus} exposes, as the service registers it: the readiness metrics over the demo snapshot
 * and the OpenReports publisher's metrics, scraped in Prometheus's text format. For tests that check queries written
 * elsewhere (alert rules, dashboards) against the names and labels the service really exports.
 */
public final class ExportedMetrics {

	private ExportedMetrics() {
	}

	/** A scrape of every metric the service registers (publishing on), in the Prometheus text format. */
	public static String scrape() {
		Instant now = Instant.parse("2026-11-26T00:00:00Z");
		Clock clock = Clock.fixed(now, ZoneOffset.UTC);
		FileSnapshotSource source = FileSnapshotSource.load("classpath:demo-snapshot", now.minusSeconds(30));
		ReportService reports = new ReportService(source, CheckCatalogue.standard(), new CheckRunner(), clock,
				CheckOptions.defaults(), Duration.ofSeconds(60));
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new ReadinessMetrics(reports, source, clock, registry).refresh();
		OpenReportsMetrics metrics = new OpenReportsMetrics(registry);
		// Registers the CRD gauge; nothing here calls the API server.
		OpenReportsPublisher publisher = new OpenReportsPublisher(new OpenReportsClient(null), reports::report,
				new OpenReportsProperties(true, null, "harvester-upgrade-readiness", Duration.ofSeconds(30), 500),
				"harvester-system", Duration.ofSeconds(30), Duration.ofSeconds(2), clock, metrics);
		String scrape = registry.scrape();
		// Keeps the publisher (held weakly by its gauge) alive until scraped.
		java.lang.ref.Reference.reachabilityFence(publisher);
		return scrape;
	}

}
