package io.harvester.upgradereadiness.report;

import java.nio.charset.StandardCharsets;
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
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckResult;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.Freshness;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.databind.json.JsonMapper;

/**
 * Assembles reports, memoised so that a report costs nothing when nothing changed.
 * <p>
 * <b>What is memoised, and why it is split in two.</b> A report is a function of the snapshot version, the
 * selection (checks and options) <i>and the moment of the request</i>: {@code snapshot.ageSeconds} grows every
 * second, and a stale live snapshot carries {@code staleSeconds} and, past {@code max-staleness}, an UNKNOWN verdict
 * with a reason that names the seconds. So two levels are kept per snapshot version:
 * <ol>
 * <li>per selection, the {@link Evaluation}: every check run once, which is the cost that grows with the cluster.
 * Concurrent first requests compute it once ({@link ConcurrentHashMap#computeIfAbsent}), and it is reused until the
 * snapshot changes;</li>
 * <li>per selection, the last {@link Rendition}: the assembled {@link ReadinessReport} and, when asked, its JSON and
 * text bodies, keyed by the {@link Moment} (age in whole seconds, staleness). Every request within the same second
 * reuses the same bytes; a new second costs one assembly and one serialisation (no check runs), done once however
 * many requests arrive together.</li>
 * </ol>
 * The per-request fields therefore stay exact to the second (the resolution they are reported in), the verdict is
 * downgraded the moment a stale snapshot passes {@code max-staleness}, and the heavy work — evaluating the checks
 * and serialising every finding — happens once per snapshot version and selection, and at most once a second
 * respectively, whatever the request rate. Operators' acknowledgements are applied at assembly (so that a rule
 * expires on its day without a snapshot change); checks never see them. (Splicing the age into pre-serialised fragments would save the one
 * serialisation a second, at the price of writing the report's JSON layout by hand; not worth it.)
 */
public class ReportService {

	/** How the reason of an UNKNOWN verdict over no evaluated check starts. */
	static final String NOTHING_EVALUATED = "no selected check was evaluated";

	/** How the reason of an UNKNOWN verdict over an empty selection starts. */
	static final String NOTHING_SELECTED = "no check was selected";

	/** Selections remembered per snapshot version; more distinct selections are computed without memo. */
	private static final int MAX_MEMOISED_SELECTIONS = 32;

	private final SnapshotSource source;

	private final CheckCatalogue catalogue;

	private final CheckRunner runner;

	private final Clock clock;

	private final CheckOptions defaults;

	private final Duration maxStaleness;

	private final JsonMapper json;

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
		this(source, catalogue, runner, clock, defaults, maxStaleness, defaultJson(), Acknowledgements.none());
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
		this(source, catalogue, runner, clock, defaults, maxStaleness, defaultJson(), acknowledgements);
	}

	/**
	 * @param source where snapshots come from
	 * @param catalogue the checks
	 * @param runner runs them
	 * @param clock the time
	 * @param defaults the options in force when a request sets none
	 * @param maxStaleness how long a stale live snapshot may still give a verdict other than UNKNOWN
	 * @param json how {@link #json} serialises reports (the application's mapper, so that the bytes are those the
	 * REST API would write for the record)
	 * @param acknowledgements the operators' rules for known findings
	 */
	public ReportService(SnapshotSource source, CheckCatalogue catalogue, CheckRunner runner, Clock clock,
			CheckOptions defaults, Duration maxStaleness, JsonMapper json, Acknowledgements acknowledgements) {
		this.json = json;
		this.acknowledgements = acknowledgements;
		this.source = source;
		this.catalogue = catalogue;
		this.runner = runner;
		this.clock = clock;
		this.defaults = defaults;
		this.maxStaleness = maxStaleness;
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
		return rendition(include, exclude, options).report();
	}

	/**
	 * The same report serialised as JSON, as the REST API serves it; the same array for every request on the same
	 * snapshot version, selection and second. Callers must not modify it.
	 * @throws SnapshotUnavailableException when no snapshot exists yet
	 */
	public byte[] json(Set<String> include, Set<String> exclude, CheckOptions options) {
		return rendition(include, exclude, options).json();
	}

	/**
	 * The same report as {@link TextReport} renders it, in UTF-8; memoised like {@link #json}. Callers must not
	 * modify it.
	 * @throws SnapshotUnavailableException when no snapshot exists yet
	 */
	public byte[] text(Set<String> include, Set<String> exclude, CheckOptions options, boolean colour) {
		return rendition(include, exclude, options).text(colour);
	}

	/**
	 * Refuses a selection that leaves no check to run: a verdict over nothing would be READY from nothing.
	 * @param include the ids asked for (all when empty)
	 * @param exclude the ids left out
	 * @throws InvalidRequestException naming the selection
	 */
	public void requireSelection(Set<String> include, Set<String> exclude) {
		if (!this.catalogue.select(include, exclude).isEmpty()) {
			return;
		}
		Map<String, Object> properties = new java.util.LinkedHashMap<>();
		properties.put("parameter", exclude.isEmpty() ? "checks" : "exclude");
		List<String> included = List.copyOf(new TreeSet<>(include));
		List<String> excluded = List.copyOf(new TreeSet<>(exclude));
		properties.put("checks", included);
		properties.put("exclude", excluded);
		throw new InvalidRequestException("The selection leaves no check to run: every check in 'checks' ("
				+ (included.isEmpty() ? "all" : String.join(", ", included)) + ") is in 'exclude' ("
				+ String.join(", ", excluded) + ")", properties);
	}

	/**
	 * Refuses a target version that is neither a Harvester release version ({@code MAJOR.MINOR.PATCH}, with or
	 * without {@code v}, an optional prerelease such as {@code -rc2}) nor the name of a Version object in the
	 * current snapshot (dev builds such as {@code v1.6-head} are named by their Version object): {@code v1.9} or
	 * {@code banana} would otherwise be judged as dev builds, which the version guard lets through.
	 * @param parameter how the caller names the input, for the answer ({@code targetVersion}, {@code --target-version})
	 * @param target the version asked for
	 * @throws InvalidRequestException naming the parameter and the Version objects there are
	 * @throws SnapshotUnavailableException when no snapshot exists yet
	 */
	public void requireTargetVersion(String parameter, String target) {
		if (HarvesterVersions.isSemanticVersion(target)) {
			return;
		}
		ClusterSnapshot snapshot = this.source.current()
			.orElseThrow(() -> new SnapshotUnavailableException(pendingKinds()));
		if (HarvesterVersions.versionObject(snapshot, target).isPresent()) {
			return;
		}
		List<String> versions = snapshot.usable(WatchedKind.VERSIONS)
				? snapshot.objects(WatchedKind.VERSIONS).stream().map(KubeObject::name).sorted().toList() : List.of();
		throw new InvalidRequestException("'" + parameter + "' must be a Harvester version (MAJOR.MINOR.PATCH, "
				+ "optionally with a leading v and a pre-release such as -rc2) or the name of a "
				+ "versions.harvesterhci.io object" + (versions.isEmpty() ? ""
						: " (there are: " + String.join(", ", versions) + ")"),
				Map.of("parameter", parameter, "versionObjects", versions));
	}

	private Rendition rendition(Set<String> include, Set<String> exclude, CheckOptions options) {
		ClusterSnapshot snapshot = this.source.current()
			.orElseThrow(() -> new SnapshotUnavailableException(pendingKinds()));
		Freshness freshness = this.source.freshness();
		Entry entry = entry(snapshot, new Selection(new TreeSet<>(include), new TreeSet<>(exclude), options));
		return entry.at(moment(snapshot, freshness, this.clock.instant()));
	}

	/**
	 * The drain rehearsal over the current snapshot, computed once per snapshot version and input (shared with the
	 * {@code drain-capacity} check), with the snapshot's age of this moment.
	 * @param options the request's options (its target version)
	 * @param restoreVm restoreVM to rehearse with, {@code null} for the upgrade-config setting's
	 * @throws SnapshotUnavailableException when no snapshot exists yet
	 */
	public UpgradeRehearsal rehearsal(CheckOptions options, Boolean restoreVm) {
		ClusterSnapshot snapshot = this.source.current()
			.orElseThrow(() -> new SnapshotUnavailableException(pendingKinds()));
		Freshness freshness = this.source.freshness();
		Moment moment = moment(snapshot, freshness, this.clock.instant());
		HarvesterVersions versions = HarvesterVersions.resolve(snapshot, options);
		io.harvester.upgradereadiness.rehearsal.Rehearsal rehearsal = io.harvester.upgradereadiness.rehearsal.Rehearsals
			.of(snapshot, io.harvester.upgradereadiness.rehearsal.RehearsalInput.of(versions, restoreVm));
		ReadinessReport.SnapshotInfo info = new ReadinessReport.SnapshotInfo(snapshot.source(), snapshot.takenAt(),
				moment.ageSeconds(), snapshot.version(), snapshot.statuses(), snapshot.fileStats(), freshness.stale(),
				freshness.lastContactAt(), moment.staleSeconds(), freshness.staleKinds());
		return UpgradeRehearsal.of(ReadinessReport.Versions.of(versions), info, rehearsal);
	}

	private List<KindStatus> pendingKinds() {
		return this.source.kindStatuses().stream().filter(status -> !status.synced()).toList();
	}

	/** The memoised evaluation of a selection over this snapshot version; computed once, also when asked at once. */
	private Entry entry(ClusterSnapshot snapshot, Selection selection) {
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
		Entry known = current.entries.get(selection);
		if (known != null) {
			return known;
		}
		if (current.entries.size() >= MAX_MEMOISED_SELECTIONS) {
			return new Entry(snapshot, run(snapshot, selection));
		}
		return current.entries.computeIfAbsent(selection, s -> new Entry(snapshot, run(snapshot, s)));
	}

	/** What of the request's moment a report shows: the snapshot's age and staleness, to the second. */
	private static Moment moment(ClusterSnapshot snapshot, Freshness freshness, Instant now) {
		long ageSeconds = Math.max(0, Duration.between(snapshot.takenAt(), now).toSeconds());
		Long staleSeconds = (freshness.stale() && freshness.lastContactAt() != null)
				? Math.max(0, Duration.between(freshness.lastContactAt(), now).toSeconds()) : null;
		return new Moment(ageSeconds, freshness, staleSeconds, LocalDate.ofInstant(now, ZoneOffset.UTC));
	}

	private Evaluation run(ClusterSnapshot snapshot, Selection selection) {
		List<Check> checks = this.catalogue.select(selection.include(), selection.exclude());
		Instant now = this.clock.instant();
		// Resolved once, so that every check and the report judge the same versions.
		HarvesterVersions versions = HarvesterVersions.resolve(snapshot, selection.options());
		CheckContext context = new CheckContext(now, snapshot.live(), selection.options(), versions);
		return new Evaluation(now, this.runner.run(snapshot, checks, context), ReadinessReport.Versions.of(versions));
	}

	private ReadinessReport assemble(ClusterSnapshot snapshot, Evaluation evaluation, Moment moment) {
		Freshness freshness = moment.freshness();
		List<Finding> found = evaluation.results().stream().flatMap(r -> r.findings().stream()).toList();
		Acknowledgements.Applied applied = this.acknowledgements.apply(
				evaluation.results().stream().map(r -> r.definition().id()).toList(), found, moment.day(),
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
		if (passed + failed == 0 && verdict == Verdict.READY) {
			// No verdict from nothing: every selected check skipped (even on purpose) says nothing about the cluster.
			verdict = Verdict.UNKNOWN;
			reasons.add(checks.isEmpty() ? NOTHING_SELECTED + ", so none was evaluated"
					: NOTHING_EVALUATED + ": all " + checks.size() + " were skipped");
		}
		Long staleSeconds = moment.staleSeconds();
		if (freshness.stale()) {
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
				moment.ageSeconds(), snapshot.version(),
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

	/** The mapper used without Spring (tests, CLI): the REST API's settings, ISO dates and no nulls. */
	private static JsonMapper defaultJson() {
		return JsonMapper.builder()
			.changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
			.build();
	}

	/** Which checks a request asks for, with which options; the memo key. */
	private record Selection(Set<String> include, Set<String> exclude, CheckOptions options) {
	}

	private record Evaluation(Instant evaluatedAt, List<CheckResult> results, ReadinessReport.Versions versions) {
	}

	/**
	 * What a report shows of the moment it is asked for. Equal moments give equal reports for one evaluation.
	 *
	 * @param ageSeconds whole seconds since the snapshot was taken
	 * @param freshness whether the snapshot is stale, since when and for which kinds
	 * @param staleSeconds whole seconds since the last contact, for a stale snapshot
	 * @param day the day, on which acknowledgements expire
	 */
	private record Moment(long ageSeconds, Freshness freshness, Long staleSeconds, LocalDate day) {
	}

	/** The evaluations made over one snapshot version, per selection. */
	private static final class Memo {

		final long version;

		final ClusterSnapshot snapshot;

		final Map<Selection, Entry> entries = new ConcurrentHashMap<>();

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

	/** One selection evaluated over one snapshot version, and its last rendition. */
	private final class Entry {

		private final ClusterSnapshot snapshot;

		private final Evaluation evaluation;

		private volatile Rendition last;

		Entry(ClusterSnapshot snapshot, Evaluation evaluation) {
			this.snapshot = snapshot;
			this.evaluation = evaluation;
		}

		/** The rendition for this moment: the last one when the moment is the same, else a new one, made once. */
		Rendition at(Moment moment) {
			Rendition rendition = this.last;
			if (rendition != null && rendition.moment.equals(moment)) {
				return rendition;
			}
			synchronized (this) {
				rendition = this.last;
				if (rendition == null || !rendition.moment.equals(moment)) {
					rendition = new Rendition(moment, assemble(this.snapshot, this.evaluation, moment));
					this.last = rendition;
				}
				return rendition;
			}
		}

	}

	/** The report at one moment, and its bodies, each serialised on first use and then reused. */
	private final class Rendition {

		final Moment moment;

		private final ReadinessReport report;

		private final Lazy<byte[]> json;

		private final Lazy<byte[]> text;

		private final Lazy<byte[]> colourText;

		Rendition(Moment moment, ReadinessReport report) {
			this.moment = moment;
			this.report = report;
			this.json = new Lazy<>(() -> ReportService.this.json.writeValueAsBytes(report));
			this.text = new Lazy<>(() -> TextReport.render(report, false).getBytes(StandardCharsets.UTF_8));
			this.colourText = new Lazy<>(() -> TextReport.render(report, true).getBytes(StandardCharsets.UTF_8));
		}

		ReadinessReport report() {
			return this.report;
		}

		byte[] json() {
			return this.json.get();
		}

		byte[] text(boolean colour) {
			return colour ? this.colourText.get() : this.text.get();
		}

	}

	/** A value computed once, on first use, by the first caller; concurrent callers wait for it. */
	private static final class Lazy<T> {

		private Supplier<T> supplier;

		private volatile T value;

		Lazy(Supplier<T> supplier) {
			this.supplier = supplier;
		}

		T get() {
			T known = this.value;
			if (known != null) {
				return known;
			}
			synchronized (this) {
				if (this.value == null) {
					this.value = this.supplier.get();
					this.supplier = null;
				}
				return this.value;
			}
		}

	}

}
