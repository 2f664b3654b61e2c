package io.harvester.upgradereadiness.system;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import io.harvester.upgradereadiness.report.ReadinessReport;
import io.harvester.upgradereadiness.report.ReportService;
import io.harvester.upgradereadiness.report.SnapshotUnavailableException;
import io.harvester.upgradereadiness.report.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import org.springframework.context.SmartLifecycle;

/**
 * The verdict, findings and snapshot state as Prometheus metrics ({@code upgrade_readiness_*}). They are refreshed
 * from the memoised report every few seconds, so a scrape never evaluates checks or calls the API server.
 */
class ReadinessMetrics implements SmartLifecycle {

	private static final Duration REFRESH = Duration.ofSeconds(5);

	private final ReportService reports;

	private final SnapshotSource source;

	private final Clock clock;

	private final MultiGauge verdict;

	private final MultiGauge findings;

	private final MultiGauge checkStatus;

	private final MultiGauge checkBlocking;

	private final MultiGauge kindPresent;

	private final MultiGauge kindSynced;

	private final MultiGauge kindForbidden;

	private volatile ReadinessReport last;

	private volatile ScheduledExecutorService scheduler;

	ReadinessMetrics(ReportService reports, SnapshotSource source, Clock clock, MeterRegistry registry) {
		this.reports = reports;
		this.source = source;
		this.clock = clock;
		Gauge.builder("upgrade.readiness.ready", this, m -> (m.last != null && m.last.ready()) ? 1 : 0)
			.description("1 when the cluster can be upgraded now (verdict READY), else 0")
			.register(registry);
		Gauge.builder("upgrade.readiness.blocking.findings", this,
				m -> (m.last != null) ? m.last.summary().blockingFindings() : 0)
			.description("Findings that block the upgrade")
			.register(registry);
		Gauge.builder("upgrade.readiness.snapshot.available", this, m -> (m.last != null) ? 1 : 0)
			.description("1 once a snapshot exists (informers synced), else 0")
			.register(registry);
		Gauge.builder("upgrade.readiness.snapshot.age", this, ReadinessMetrics::snapshotAgeSeconds)
			.baseUnit("seconds")
			.description("Seconds since the snapshot the report was computed from was assembled")
			.register(registry);
		Gauge.builder("upgrade.readiness.snapshot.stale", this,
				m -> (m.last != null && m.last.snapshot().stale()) ? 1 : 0)
			.description("1 while the watches of some kinds are lost (API server unreachable)")
			.register(registry);
		this.verdict = MultiGauge.builder("upgrade.readiness.verdict")
			.description("1 for the current verdict (state READY, NOT_READY or UNKNOWN), 0 for the others")
			.register(registry);
		this.findings = MultiGauge.builder("upgrade.readiness.findings")
			.description("Findings by check and severity")
			.register(registry);
		this.checkStatus = MultiGauge.builder("upgrade.readiness.check.status")
			.description("1 for each check's current status (PASS, FAIL, SKIPPED, ERROR), 0 for the others")
			.register(registry);
		this.checkBlocking = MultiGauge.builder("upgrade.readiness.check.blocking.findings")
			.description("Findings that block the upgrade, by check (acknowledged findings not counted)")
			.register(registry);
		this.kindPresent = MultiGauge.builder("upgrade.readiness.snapshot.kind.present")
			.description("1 when the cluster serves the kind (CRD installed)")
			.register(registry);
		this.kindSynced = MultiGauge.builder("upgrade.readiness.snapshot.kind.synced")
			.description("1 when the kind is fully loaded (absent kinds count as synced)")
			.register(registry);
		this.kindForbidden = MultiGauge.builder("upgrade.readiness.snapshot.kind.forbidden")
			.description("1 when the service account may not list the kind")
			.register(registry);
		refresh();
	}

	/** Reads the memoised report (no evaluation unless the snapshot changed) and updates every gauge. */
	void refresh() {
		ReadinessReport report;
		try {
			report = this.reports.report();
		}
		catch (SnapshotUnavailableException ex) {
			report = null;
		}
		this.last = report;
		Verdict current = (report != null) ? report.verdict() : Verdict.UNKNOWN;
		List<MultiGauge.Row<?>> verdictRows = new ArrayList<>();
		for (Verdict state : Verdict.values()) {
			verdictRows.add(MultiGauge.Row.of(Tags.of("state", state.name()), (state == current) ? 1 : 0));
		}
		this.verdict.register(verdictRows, true);
		List<MultiGauge.Row<?>> findingRows = new ArrayList<>();
		List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
		List<MultiGauge.Row<?>> blockingRows = new ArrayList<>();
		if (report != null) {
			Map<String, Finding> byId = new java.util.HashMap<>();
			report.findings().forEach(f -> byId.put(f.id(), f));
			for (ReadinessReport.CheckReport check : report.checks()) {
				Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
				for (Severity severity : Severity.values()) {
					counts.put(severity, 0);
				}
				check.findings().stream().map(byId::get).forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
				blockingRows.add(MultiGauge.Row.of(Tags.of("check", check.id()),
						check.findings().stream().map(byId::get).filter(Finding::blocksVerdict).count()));
				counts.forEach((severity, count) -> findingRows
					.add(MultiGauge.Row.of(Tags.of("check", check.id(), "severity", severity.name()), count)));
				for (CheckStatus status : CheckStatus.values()) {
					statusRows.add(MultiGauge.Row.of(Tags.of("check", check.id(), "status", status.name()),
							(status == check.status()) ? 1 : 0));
				}
			}
		}
		this.findings.register(findingRows, true);
		this.checkStatus.register(statusRows, true);
		this.checkBlocking.register(blockingRows, true);
		List<MultiGauge.Row<?>> present = new ArrayList<>();
		List<MultiGauge.Row<?>> synced = new ArrayList<>();
		List<MultiGauge.Row<?>> forbidden = new ArrayList<>();
		for (KindStatus kind : this.source.kindStatuses()) {
			Tags tags = Tags.of("resource", kind.resource());
			present.add(MultiGauge.Row.of(tags, kind.present() ? 1 : 0));
			synced.add(MultiGauge.Row.of(tags, kind.synced() ? 1 : 0));
			forbidden.add(MultiGauge.Row.of(tags, kind.forbidden() ? 1 : 0));
		}
		this.kindPresent.register(present, true);
		this.kindSynced.register(synced, true);
		this.kindForbidden.register(forbidden, true);
	}

	private double snapshotAgeSeconds() {
		ReadinessReport report = this.last;
		if (report == null) {
			return Double.NaN;
		}
		return Math.max(0, Duration.between(report.snapshot().takenAt(), this.clock.instant()).toMillis() / 1000.0);
	}

	@Override
	public void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "readiness-metrics");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void refreshQuietly() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			org.slf4j.LoggerFactory.getLogger(ReadinessMetrics.class).warn("Cannot refresh the readiness metrics", ex);
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
		}
		this.scheduler = null;
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
