package io.harvester.upgradereadiness.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.harvester.upgradereadiness.cluster.OpenReportsClient;
import io.harvester.upgradereadiness.cluster.OpenReportsClient.Outcome;
import io.harvester.upgradereadiness.report.ReadinessReport;
import io.harvester.upgradereadiness.report.SnapshotUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps one OpenReports {@code Report} equal to the current readiness report, in live mode and only when enabled.
 * <p>
 * It writes only when what the Report says changes (results, summary, labels; a new evaluation that found the same
 * is not a change), never more often than {@code min-interval} (changes within it are written together at its end),
 * and only while the API server serves {@code reports.openreports.io}, which it asks every discovery interval. A
 * failed write is retried with a doubling back-off (from {@code min-interval} up to five minutes), counted, and
 * logged once per cause; nothing of it reaches the HTTP answers, which read the memoised report as before. Every
 * discovery interval the Report is read back once, so that one deleted by hand is written again.
 */
public final class OpenReportsPublisher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OpenReportsPublisher.class);

	static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private final OpenReportsClient client;

	private final Supplier<ReadinessReport> reports;

	private final Clock clock;

	private final String namespace;

	private final String name;

	private final Duration minInterval;

	private final int maxResults;

	private final Duration probeInterval;

	private final Duration probeRetryInterval;

	private final OpenReportsMetrics metrics;

	private volatile ScheduledExecutorService scheduler;

	// State, guarded by this.

	private Crd crd = Crd.UNKNOWN;

	private Instant probedAt;

	private String probeError;

	/** The content the Report on the server is known to hold; {@code null} when it must be read back. */
	private Map<String, Object> published;

	private Instant publishedAt;

	private int publishedResults;

	private boolean truncated;

	private Instant lastWriteAt;

	private Outcome lastOutcome;

	private Instant nextAttemptAt;

	private int failures;

	private String failure;

	private String loggedCause;

	private String waiting;

	/**
	 * @param client writes the Report
	 * @param reports the current readiness report (memoised); throws {@link SnapshotUnavailableException} before the
	 * first snapshot
	 * @param properties what to publish, where and how often
	 * @param namespace the Report's namespace, resolved
	 * @param probeInterval how often to ask whether the CRD is served (the discovery interval)
	 * @param probeRetryInterval how soon to ask again when the API server could not answer
	 * @param clock the time
	 * @param metrics counts the writes
	 */
	public OpenReportsPublisher(OpenReportsClient client, Supplier<ReadinessReport> reports,
			OpenReportsProperties properties, String namespace, Duration probeInterval, Duration probeRetryInterval,
			Clock clock, OpenReportsMetrics metrics) {
		this.client = client;
		this.reports = reports;
		this.namespace = namespace;
		this.name = properties.name();
		this.minInterval = properties.minInterval();
		this.maxResults = properties.maxResults();
		this.probeInterval = probeInterval;
		this.probeRetryInterval = probeRetryInterval;
		this.clock = clock;
		this.metrics = metrics;
		metrics.crdPresent(this);
	}

	/** One round: asks about the CRD when due, and writes the Report when it changed and a write is allowed. */
	public synchronized void publishOnce() {
		Instant now = this.clock.instant();
		if (this.probedAt == null || !now.isBefore(this.probedAt.plus(
				(this.crd == Crd.UNKNOWN || this.probeError != null) ? this.probeRetryInterval : this.probeInterval))) {
			probe(now);
		}
		if (this.crd != Crd.PRESENT) {
			return;
		}
		ReadinessReport report;
		try {
			report = this.reports.get();
		}
		catch (SnapshotUnavailableException ex) {
			this.waiting = "waiting for the first snapshot of the cluster";
			return;
		}
		this.waiting = null;
		GenericKubernetesResource desired = OpenReportMapping.map(report, this.namespace, this.name, this.maxResults);
		Map<String, Object> content = OpenReportMapping.content(desired);
		if (content.equals(this.published)) {
			return;
		}
		if (this.nextAttemptAt != null && now.isBefore(this.nextAttemptAt)) {
			return;
		}
		OpenReportsClient.Write write = this.client.put(desired,
				(existing, wanted) -> OpenReportMapping.content(existing).equals(content));
		if (write.outcome() != Outcome.UNCHANGED) {
			this.lastWriteAt = now;
			this.lastOutcome = write.outcome();
			this.metrics.counted(write.outcome());
		}
		if (write.outcome().succeeded()) {
			succeeded(now, write.outcome(), content, desired);
		}
		else {
			failed(now, write);
		}
	}

	private void probe(Instant now) {
		this.probedAt = now;
		Crd before = this.crd;
		try {
			this.crd = this.client.served() ? Crd.PRESENT : Crd.ABSENT;
			this.probeError = null;
		}
		catch (RuntimeException ex) {
			// The last answer stands (a write will tell whether the API server is back); say why it is not current.
			String error = "cannot ask the API server whether it serves " + OpenReportsClient.RESOURCE + ": "
					+ OpenReportsClient.message(ex);
			if (!error.equals(this.probeError)) {
				logOnce("probe", error);
			}
			this.probeError = error;
			return;
		}
		if (this.crd == Crd.PRESENT) {
			// Read the Report back once per interval: one deleted or edited by hand is written again.
			this.published = null;
			if (before != Crd.PRESENT) {
				log.info("Publishing the readiness report as {} {}/{} ({})", OpenReportsClient.KIND, this.namespace,
						this.name, OpenReportsClient.API_VERSION);
			}
		}
		else if (before != Crd.ABSENT) {
			this.published = null;
			log.info("{}; looking again every {}", absentReason(), this.probeInterval);
		}
	}

	private void succeeded(Instant now, Outcome outcome, Map<String, Object> content, GenericKubernetesResource desired) {
		if (this.failure != null) {
			log.info("Published {} {}/{} again", OpenReportsClient.KIND, this.namespace, this.name);
		}
		this.published = content;
		this.publishedAt = now;
		this.publishedResults = ((List<?>) desired.getAdditionalProperties().get("results")).size();
		this.truncated = desired.getMetadata().getAnnotations().containsKey(OpenReportMapping.TRUNCATED);
		this.failures = 0;
		this.failure = null;
		this.loggedCause = null;
		if (outcome.wrote()) {
			this.nextAttemptAt = now.plus(this.minInterval);
		}
	}

	private void failed(Instant now, OpenReportsClient.Write write) {
		this.failures++;
		Duration base = this.minInterval.isZero() ? Duration.ofSeconds(1) : this.minInterval;
		Duration backoff = base.multipliedBy(1L << Math.min(this.failures - 1, 20));
		if (backoff.compareTo(MAX_BACKOFF) > 0) {
			backoff = (base.compareTo(MAX_BACKOFF) > 0) ? base : MAX_BACKOFF;
		}
		this.nextAttemptAt = now.plus(backoff);
		String where = OpenReportsClient.KIND + " " + this.namespace + "/" + this.name;
		this.failure = switch (write.outcome()) {
			case FORBIDDEN -> "forbidden: the service account may not write " + OpenReportsClient.RESOURCE
					+ " in namespace " + this.namespace + " (" + write.message() + "); grant apiGroups: ["
					+ OpenReportsClient.GROUP + "], resources: [" + OpenReportsClient.PLURAL
					+ "], verbs: [get, create, update, patch] in namespace " + this.namespace
					+ " (chart: publish.openReports.enabled=true)";
			case CONFLICT -> "conflict: " + where + " was changed meanwhile (" + write.message() + ")";
			default -> "cannot write " + where + ": " + write.message();
		};
		logOnce(write.outcome().name(), this.failure + "; retrying with back-off, next in " + backoff.toSeconds() + " s");
	}

	/** Logs a problem the first time it is seen, not again until another cause replaces it or it goes. */
	private void logOnce(String kind, String message) {
		String cause = kind + ": " + message.replaceAll("next in \\d+ s", "");
		if (!cause.equals(this.loggedCause)) {
			this.loggedCause = cause;
			log.warn("OpenReports: {}", message);
		}
	}

	private String absentReason() {
		return "the API server does not serve " + OpenReportsClient.RESOURCE + " (" + OpenReportsClient.API_VERSION
				+ "): nothing is published until the OpenReports CRDs are installed";
	}

	/** Whether the API server was last seen serving {@code reports.openreports.io}. */
	public synchronized boolean crdPresent() {
		return this.crd == Crd.PRESENT;
	}

	/** What the health details show: where the Report is, whether it is current, and if not why. */
	public synchronized Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("enabled", true);
		details.put("report", this.namespace + "/" + this.name);
		if (this.crd != Crd.UNKNOWN) {
			details.put("crdPresent", this.crd == Crd.PRESENT);
		}
		String state;
		String reason;
		if (this.crd == Crd.UNKNOWN) {
			state = "waiting";
			reason = (this.probeError != null) ? this.probeError : "asking whether the API server serves "
					+ OpenReportsClient.RESOURCE;
		}
		else if (this.crd == Crd.ABSENT) {
			state = "crd-absent";
			reason = absentReason();
		}
		else if (this.failure != null) {
			state = "failing";
			reason = this.failure;
		}
		else if (this.waiting != null) {
			state = "waiting";
			reason = this.waiting;
		}
		else if (this.publishedAt != null) {
			state = "published";
			reason = null;
		}
		else {
			state = "waiting";
			reason = "not written yet";
		}
		details.put("state", state);
		if (reason != null) {
			details.put("reason", reason);
		}
		if (this.probeError != null && this.crd != Crd.UNKNOWN) {
			details.put("probeError", this.probeError);
		}
		if (this.publishedAt != null) {
			details.put("publishedAt", this.publishedAt.toString());
			details.put("results", this.publishedResults);
			details.put("truncated", this.truncated);
		}
		if (this.lastWriteAt != null) {
			details.put("lastWriteAt", this.lastWriteAt.toString());
			details.put("lastResult", OpenReportsMetrics.result(this.lastOutcome));
		}
		if (this.failure != null && this.nextAttemptAt != null) {
			details.put("nextAttemptAt", this.nextAttemptAt.toString());
		}
		return details;
	}

	@Override
	public void start() {
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread thread = new Thread(r, "openreports-publisher");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler = executor;
		executor.scheduleWithFixedDelay(this::publishQuietly, 0, tick().toMillis(), TimeUnit.MILLISECONDS);
	}

	/** How often a round runs: often enough to honour the interval and the probe retries, at most every 5 s. */
	Duration tick() {
		Duration tick = Duration.ofSeconds(5);
		for (Duration bound : List.of(this.minInterval, this.probeRetryInterval)) {
			if (!bound.isZero() && bound.compareTo(tick) < 0) {
				tick = bound;
			}
		}
		return (tick.compareTo(Duration.ofMillis(100)) < 0) ? Duration.ofMillis(100) : tick;
	}

	private void publishQuietly() {
		try {
			publishOnce();
		}
		catch (RuntimeException ex) {
			// A bug here must not stop publishing for good, nor reach anything else.
			logOnce("unexpected", "publishing failed unexpectedly: " + OpenReportsClient.message(ex));
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

	/** After the snapshot source starts, before it stops. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	private enum Crd {

		UNKNOWN, PRESENT, ABSENT

	}

}
