package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckResult;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.platform.UpgradeTarget;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.Freshness;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Assembles reports. Check results are computed once per snapshot version and selection, and reused until the
 * snapshot changes; concurrent first requests compute them once. Operators' acknowledgements are applied to the
 * memoised results at each assembly (so that a rule expires on its day without a snapshot change); checks never
 * see them.
 */
public class ReportService {

	/** Selections remembered per snapshot version; more distinct selections are computed without memo. */
	private static final int MAX_MEMOISED_SELECTIONS = 32;

	private final SnapshotSource source;

	private final CheckCatalogue catalogue;

	private final CheckRunner runner;

	private final Clock clock;

	private final CheckOptions defaults;

	private final Duration maxStaleness;

	private final Acknowledgements acknowledgements;

	private volatile Memo memo = new Memo(-1, null);

	/**
	 * @param source where snapshots come from
	 * @param catalogue the checks
	 * @param runner runs them
	 * @param clock the time
	 * @param defaults the options in force when a request sets none
	 * @param maxStaleness how long a stale live snapshot may still give a verdict other than UNKNOWN
	 */
	public ReportService(SnapshotSource source, CheckCatalogue catalogue, CheckRunner runner, Clock clock,
			CheckOptions defaults, Duration maxStaleness) {
		this(source, catalogue, runner, clock, defaults, maxStaleness, Acknowledgements.none());
	}

	/**
	 * @param source where snapshots come from
	 * @param catalogue the checks
	 * @param runner runs them
	 * @param clock the time
	 * @param defaults the options in force when a request sets none
	 * @param maxStaleness how long a stale live snapshot may still give a verdict other than UNKNOWN
	 * @param acknowledgements the operators' rules for known findings
	 */
	public ReportService(SnapshotSource source, CheckCatalogue catalogue, CheckRunner runner, Clock clock,
			CheckOptions defaults, Duration maxStaleness, Acknowledgements acknowledgements) {
		this.source = source;
		this.catalogue = catalogue;
		this.runner = runner;
		this.clock = clock;
		this.defaults = defaults;
		this.maxStaleness = maxStaleness;
		this.acknowledgements = acknowledgements;
	}

	/** The options in force when a request sets none: configuration, else Harvester's defaults. */
	public CheckOptions defaults() {
		return this.defaults;
	}

	public CheckCatalogue catalogue() {
		return this.catalogue;
	}

	/** The report over every check, with the configured options. */
	public ReadinessReport report() {
		return report(Set.of(), Set.of(), this.defaults);
	}

	/**
	 * The report over the selected checks: those in {@code include} (all when empty) minus those in
	 * {@code exclude}. Ids must be known to the catalogue.
	 * @throws SnapshotUnavailableException when no snapshot exists yet
	 */
	public ReadinessReport report(Set<String> include, Set<String> exclude, CheckOptions options) {
		ClusterSnapshot snapshot = this.source.current()
			.orElseThrow(() -> new SnapshotUnavailableException(pendingKinds()));
		Freshness freshness = this.source.freshness();
		Evaluation evaluation = evaluate(snapshot,
				new Selection(new TreeSet<>(include), new TreeSet<>(exclude), options));
		return assemble(snapshot, freshness, evaluation);
	}

	private List<KindStatus> pendingKinds() {
		return this.source.kindStatuses().stream().filter(status -> !status.synced()).toList();
	}

	private Evaluation evaluate(ClusterSnapshot snapshot, Selection selection) {
		Memo current = this.memo;
		if (current.version != snapshot.version() || current.snapshot != snapshot) {
			synchronized (this) {
				current = this.memo;
				if (current.snapshot != snapshot) {
					current = new Memo(snapshot.version(), snapshot);
					this.memo = current;
				}
			}
		}
		Evaluation known = current.evaluations.get(selection);
		if (known != null) {
			return known;
		}
		if (current.evaluations.size() >= MAX_MEMOISED_SELECTIONS) {
			return run(snapshot, selection);
		}
		return current.evaluations.computeIfAbsent(selection, s -> run(snapshot, s));
	}

	private Evaluation run(ClusterSnapshot snapshot, Selection selection) {
		List<Check> checks = this.catalogue.select(selection.include(), selection.exclude());
		Instant now = this.clock.instant();
		CheckContext context = new CheckContext(now, snapshot.live(), selection.options());
		return new Evaluation(now, this.runner.run(snapshot, checks, context), versions(snapshot, selection.options()));
	}

	/** The running and target versions; unknown ones are left out (an odd setting is the checks' to report). */
	private static ReadinessReport.Versions versions(ClusterSnapshot snapshot, CheckOptions options) {
		try {
			UpgradeTarget target = UpgradeTarget.resolve(snapshot, options);
			return new ReadinessReport.Versions(target.current(), target.target(), target.targetSource());
		}
		catch (RuntimeException ex) {
			return new ReadinessReport.Versions(null, null, null);
		}
	}

	private ReadinessReport assemble(ClusterSnapshot snapshot, Freshness freshness, Evaluation evaluation) {
		Instant now = this.clock.instant();
		List<Finding> found = evaluation.results().stream().flatMap(r -> r.findings().stream()).toList();
		Acknowledgements.Applied applied = this.acknowledgements.apply(
				evaluation.results().stream().map(r -> r.definition().id()).toList(), found,
				LocalDate.ofInstant(now, ZoneOffset.UTC),
				this.acknowledgements.needsLabels() ? labels(snapshot) : ref -> Map.of());
		Map<String, Finding> marked = new HashMap<>();
		applied.findings().forEach(finding -> marked.put(finding.id(), finding));
		List<String> reasons = new ArrayList<>();
		List<ReadinessReport.CheckReport> checks = new ArrayList<>();
		List<Finding> findings = new ArrayList<>();
		int passed = 0;
		int failed = 0;
		int skipped = 0;
		int errored = 0;
		int blocking = 0;
		int acknowledged = 0;
		boolean unknown = false;
		for (CheckResult result : evaluation.results()) {
			checks.add(new ReadinessReport.CheckReport(result.definition().id(), result.definition().title(),
					result.definition().category(), result.status(), result.reason(), result.skipKind(),
					result.findings().stream().map(Finding::id).toList()));
			List<Finding> mine = result.findings().stream().map(f -> marked.getOrDefault(f.id(), f)).toList();
			findings.addAll(mine);
			acknowledged += (int) mine.stream().filter(f -> f.acknowledged() != null).count();
			switch (result.status()) {
				case PASS -> passed++;
				case FAIL -> failed++;
				case SKIPPED -> skipped++;
				case ERROR -> errored++;
			}
			long blockingHere = mine.stream().filter(Finding::blocksVerdict).count();
			blocking += (int) blockingHere;
			if (blockingHere > 0) {
				reasons.add(result.definition().id() + ": " + blockingHere + " blocking finding"
						+ (blockingHere == 1 ? "" : "s"));
			}
			if (result.leavesVerdictUnknown()) {
				unknown = true;
				reasons.add(result.definition().id() + " could not be evaluated: " + result.reason());
			}
		}
		Verdict verdict = (blocking > 0) ? Verdict.NOT_READY : (unknown ? Verdict.UNKNOWN : Verdict.READY);
		Long staleSeconds = null;
		if (freshness.stale()) {
			staleSeconds = (freshness.lastContactAt() != null)
					? Math.max(0, Duration.between(freshness.lastContactAt(), now).toSeconds()) : null;
			boolean tooOld = staleSeconds == null || staleSeconds > this.maxStaleness.toSeconds();
			if (tooOld) {
				// An answer older than max-staleness is not an answer: never READY, and a blocker may be gone.
				verdict = Verdict.UNKNOWN;
				reasons.add(0, "the snapshot is stale: no contact with the API server for "
						+ (staleSeconds != null ? staleSeconds + " s" : "an unknown time") + " (more than "
						+ this.maxStaleness.toSeconds() + " s) for " + String.join(", ", freshness.staleKinds()));
			}
		}
		ReadinessReport.SnapshotInfo info = new ReadinessReport.SnapshotInfo(snapshot.source(), snapshot.takenAt(),
				Math.max(0, Duration.between(snapshot.takenAt(), now).toSeconds()), snapshot.version(),
				snapshot.statuses(), snapshot.fileStats(), freshness.stale(), freshness.lastContactAt(), staleSeconds,
				freshness.staleKinds());
		ReadinessReport.Summary summary = new ReadinessReport.Summary(checks.size(), passed, failed, skipped, errored,
				findings.size(), blocking, acknowledged);
		return new ReadinessReport(verdict, verdict == Verdict.READY, evaluation.evaluatedAt(), info, summary,
				List.copyOf(checks), List.copyOf(findings), (verdict == Verdict.READY) ? List.of() : List.copyOf(reasons),
				evaluation.versions(), applied.expired().isEmpty() ? null : applied.expired());
	}

	/** The labels of the snapshot's objects by reference, built once per snapshot version when a rule needs them. */
	private Function<ResourceRef, Map<String, String>> labels(ClusterSnapshot snapshot) {
		Memo current = this.memo;
		Map<ResourceRef, Map<String, String>> index = (current.snapshot == snapshot) ? current.labels()
				: Memo.labelIndex(snapshot);
		return ref -> index.getOrDefault(ref, Map.of());
	}

	/** Which checks a request asks for, with which options; the memo key. */
	private record Selection(Set<String> include, Set<String> exclude, CheckOptions options) {
	}

	private record Evaluation(Instant evaluatedAt, List<CheckResult> results, ReadinessReport.Versions versions) {
	}

	/** The evaluations made over one snapshot version. */
	private static final class Memo {

		final long version;

		final ClusterSnapshot snapshot;

		final Map<Selection, Evaluation> evaluations = new ConcurrentHashMap<>();

		private volatile Map<ResourceRef, Map<String, String>> labels;

		Memo(long version, ClusterSnapshot snapshot) {
			this.version = version;
			this.snapshot = snapshot;
		}

		Map<ResourceRef, Map<String, String>> labels() {
			Map<ResourceRef, Map<String, String>> known = this.labels;
			if (known == null) {
				known = labelIndex(this.snapshot);
				this.labels = known;
			}
			return known;
		}

		static Map<ResourceRef, Map<String, String>> labelIndex(ClusterSnapshot snapshot) {
			Map<ResourceRef, Map<String, String>> index = new HashMap<>();
			for (WatchedKind kind : WatchedKind.values()) {
				for (KubeObject object : snapshot.objects(kind)) {
					index.put(object.ref(), object.labels());
				}
			}
			return index;
		}

	}

}
