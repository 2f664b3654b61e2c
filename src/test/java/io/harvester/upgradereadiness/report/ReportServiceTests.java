package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.check.SkipKind;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.Freshness;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ReportServiceTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private static final ResourceRef NODE = new ResourceRef("v1", "Node", null, "harv1");

	private final TestSource source = new TestSource(snapshot(1, true));

	@Test
	void isReadyWhenEveryCheckPasses() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.pass()), check("b", s -> CheckOutcome.pass()))
			.report();

		assertThat(report.verdict()).isEqualTo(Verdict.READY);
		assertThat(report.ready()).isTrue();
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(2, 2, 0, 0, 0, 0, 0, 0));
	}

	@Test
	void isUnknownWhenEveryCheckWasSkippedEvenOnPurpose() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.skipped("switched off")),
				check("b", s -> CheckOutcome.skipped("one node"))).report();

		assertThat(report.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(report.ready()).isFalse();
		assertThat(report.reasons()).containsExactly("no selected check was evaluated: all 2 were skipped");
	}

	@Test
	void isUnknownOverAnEmptySelection() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.pass())).report(Set.of("a"), Set.of("a"),
				CheckOptions.defaults());

		assertThat(report.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(report.reasons()).containsExactly("no check was selected, so none was evaluated");
	}

	@Test
	void refusesASelectionThatLeavesNoCheck() {
		ReportService service = service(check("a", s -> CheckOutcome.pass()), check("b", s -> CheckOutcome.pass()));

		service.requireSelection(Set.of("a"), Set.of("b"));
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> service.requireSelection(Set.of(), Set.of("a", "b")))
			.withMessage("The selection leaves no check to run: every check in 'checks' (all) is in 'exclude' (a, b)")
			.satisfies(ex -> assertThat(ex.properties()).containsEntry("parameter", "exclude"));
	}

	@Test
	void acceptsReleaseVersionsAndVersionObjectNamesAsTargets() {
		ReportService service = service(check("a", s -> CheckOutcome.pass()));

		for (String target : List.of("v1.9.0", "1.9.0", "v1.9.0-rc2", "v10.0.1-rc.1")) {
			service.requireTargetVersion("targetVersion", target);
		}
		for (String target : List.of("v1.9", "banana", "V1.9.0", "v1.9.0.1", "v01.9.0", "v1.9-head")) {
			assertThatExceptionOfType(InvalidRequestException.class).as(target)
				.isThrownBy(() -> service.requireTargetVersion("targetVersion", target))
				.satisfies(ex -> assertThat(ex.properties()).containsEntry("parameter", "targetVersion"));
		}
	}

	@Test
	void saysWhenTheVersionBoundRulesWereAssumed() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.pass())).report();

		assertThat(report.versions().rulesAssumed()).isTrue();
		assertThat(report.versions().rulesReason()).isEqualTo("the running version cannot be read (no setting "
				+ "server-version with a value in the snapshot): the version-bound rules are applied as if in force");
	}

	@Test
	void isNotReadyWhenAFindingBlocksEvenIfAnotherCheckErrors() {
		ReadinessReport report = service(check("a", blockingFinding()), check("b", s -> {
			throw new IllegalStateException("boom");
		})).report();

		assertThat(report.verdict()).isEqualTo(Verdict.NOT_READY);
		assertThat(report.ready()).isFalse();
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(2, 0, 1, 0, 1, 1, 1, 0));
		assertThat(report.checks().get(0).findings()).containsExactly(report.findings().get(0).id());
	}

	@Test
	void aCheckThatThrowsIsAnErrorAndTheOtherChecksStillRun() {
		ReadinessReport report = service(check("broken", s -> {
			throw new IllegalStateException("boom");
		}), check("fine", s -> CheckOutcome.pass())).report();

		assertThat(report.checks()).extracting(ReadinessReport.CheckReport::id, ReadinessReport.CheckReport::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("broken", CheckStatus.ERROR),
					org.assertj.core.groups.Tuple.tuple("fine", CheckStatus.PASS));
		assertThat(report.checks().get(0).reason())
			.isEqualTo("the check failed unexpectedly (IllegalStateException); see the service log");
		assertThat(report.verdict()).isEqualTo(Verdict.UNKNOWN);
	}

	@Test
	void isUnknownWhenAKindTheCheckNeedsIsAbsent() {
		this.source.snapshot = snapshot(1, false);

		ReadinessReport report = service(check("needs-machines", s -> CheckOutcome.pass())).report();

		assertThat(report.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(report.checks().get(0).status()).isEqualTo(CheckStatus.SKIPPED);
		assertThat(report.checks().get(0).skipKind()).isEqualTo(SkipKind.MISSING_DATA);
		assertThat(report.checks().get(0).reason()).isEqualTo("needs machines.cluster.x-k8s.io: not installed");
	}

	@Test
	void aDeliberateSkipDoesNotKeepTheVerdictFromReady() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.skipped("single-node cluster")),
				check("b", s -> CheckOutcome.pass()))
			.report();

		assertThat(report.verdict()).isEqualTo(Verdict.READY);
		assertThat(report.checks().get(0).skipKind()).isEqualTo(SkipKind.DELIBERATE);
	}

	@Test
	void warningsAloneDoNotBlock() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.of(List.of(Finding.of(definition("a"), "warn",
				Severity.WARNING, false, "just so you know", "nothing to do", List.of(NODE), Map.of())))))
			.report();

		assertThat(report.verdict()).isEqualTo(Verdict.READY);
		assertThat(report.summary().findings()).isEqualTo(1);
		assertThat(report.summary().blockingFindings()).isZero();
	}

	@Test
	void evaluatesTheChecksOncePerSnapshotVersionAndSelection() {
		AtomicInteger evaluations = new AtomicInteger();
		ReportService service = service(check("a", s -> {
			evaluations.incrementAndGet();
			return CheckOutcome.pass();
		}), check("b", s -> CheckOutcome.pass()));

		service.report();
		service.report();
		assertThat(evaluations).hasValue(1);

		service.report(Set.of(), Set.of("b"), CheckOptions.defaults());
		service.report(Set.of(), Set.of("b"), CheckOptions.defaults());
		assertThat(evaluations).as("a new selection is evaluated once").hasValue(2);

		this.source.snapshot = snapshot(2, true);
		service.report();
		assertThat(evaluations).as("a new snapshot version is evaluated again").hasValue(3);
	}

	@Test
	void twoRequestsOnAnUnchangedSnapshotEvaluateOnceAndShareTheSerialisedBodies() {
		AtomicInteger evaluations = new AtomicInteger();
		ReportService service = service(counting("a", evaluations));

		byte[] first = service.json(Set.of(), Set.of(), CheckOptions.defaults());
		byte[] second = service.json(Set.of(), Set.of(), CheckOptions.defaults());
		byte[] text = service.text(Set.of(), Set.of(), CheckOptions.defaults(), false);

		assertThat(evaluations).hasValue(1);
		assertThat(second).as("the same bytes, not serialised again").isSameAs(first);
		assertThat(service.text(Set.of(), Set.of(), CheckOptions.defaults(), false)).isSameAs(text);
		assertThat(new String(text, java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo(TextReport.render(service.report(), false));
		assertThat(service.report()).as("the report object too").isSameAs(service.report());
	}

	@Test
	void concurrentFirstRequestsEvaluateAndSerialiseOnce() throws Exception {
		AtomicInteger evaluations = new AtomicInteger();
		java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
		ReportService service = service(check("a", s -> {
			evaluations.incrementAndGet();
			try {
				// Held until every request has arrived, so that they all find nothing memoised yet.
				release.await(10, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return CheckOutcome.pass();
		}));
		int requests = 8;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(requests);
		try {
			java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(requests);
			List<java.util.concurrent.Future<byte[]>> bodies = new java.util.ArrayList<>();
			for (int i = 0; i < requests; i++) {
				bodies.add(pool.submit(() -> {
					started.countDown();
					return service.json(Set.of(), Set.of(), CheckOptions.defaults());
				}));
			}
			started.await(10, java.util.concurrent.TimeUnit.SECONDS);
			Thread.sleep(100);
			release.countDown();
			byte[] first = bodies.get(0).get(10, java.util.concurrent.TimeUnit.SECONDS);
			for (java.util.concurrent.Future<byte[]> body : bodies) {
				assertThat(body.get(10, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(first);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(evaluations).hasValue(1);
	}

	@Test
	void theAgeAdvancesEverySecondWithoutEvaluatingAgain() {
		AtomicInteger evaluations = new AtomicInteger();
		MutableClock clock = new MutableClock(NOW);
		ReportService service = service(clock, counting("a", evaluations));

		byte[] first = service.json(Set.of(), Set.of(), CheckOptions.defaults());
		clock.now = NOW.plusMillis(400);
		assertThat(service.json(Set.of(), Set.of(), CheckOptions.defaults())).as("same second").isSameAs(first);
		clock.now = NOW.plusSeconds(5);
		ReadinessReport later = service.report();

		assertThat(later.snapshot().ageSeconds()).isEqualTo(35);
		assertThat(new String(service.json(Set.of(), Set.of(), CheckOptions.defaults()),
				java.nio.charset.StandardCharsets.UTF_8))
			.contains("\"ageSeconds\":35");
		assertThat(later.evaluatedAt()).as("the evaluation is the first one").isEqualTo(NOW);
		assertThat(evaluations).hasValue(1);
	}

	@Test
	void aMemoisedReportIsStillDowngradedWhenTheSnapshotGoesStale() {
		AtomicInteger evaluations = new AtomicInteger();
		MutableClock clock = new MutableClock(NOW);
		ReportService service = service(clock, counting("a", evaluations));
		assertThat(service.report().verdict()).isEqualTo(Verdict.READY);

		this.source.freshness = new Freshness(true, NOW, List.of("nodes"));
		clock.now = NOW.plusSeconds(30);
		ReadinessReport withinLimit = service.report();
		clock.now = NOW.plusSeconds(61);
		ReadinessReport tooOld = service.report();
		String json = new String(service.json(Set.of(), Set.of(), CheckOptions.defaults()),
				java.nio.charset.StandardCharsets.UTF_8);
		this.source.freshness = Freshness.FRESH;
		ReadinessReport recovered = service.report();

		assertThat(withinLimit.verdict()).isEqualTo(Verdict.READY);
		assertThat(withinLimit.snapshot().staleSeconds()).isEqualTo(30);
		assertThat(tooOld.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(tooOld.reasons().get(0)).startsWith("the snapshot is stale: no contact with the API server for 61 s");
		assertThat(json).contains("\"verdict\":\"UNKNOWN\"", "\"staleSeconds\":61");
		assertThat(recovered.verdict()).isEqualTo(Verdict.READY);
		assertThat(evaluations).as("staleness never runs a check").hasValue(1);
	}

	@Test
	void selectsChecksByIncludeAndExclude() {
		ReportService service = service(check("a", s -> CheckOutcome.pass()), check("b", s -> CheckOutcome.pass()),
				check("c", s -> CheckOutcome.pass()));

		assertThat(service.report(Set.of("a", "c"), Set.of(), CheckOptions.defaults()).checks()).extracting(ReadinessReport.CheckReport::id)
			.containsExactly("a", "c");
		assertThat(service.report(Set.of(), Set.of("b"), CheckOptions.defaults()).checks()).extracting(ReadinessReport.CheckReport::id)
			.containsExactly("a", "c");
	}

	@Test
	void refusesToReportBeforeTheFirstSnapshotNamingThePendingKinds() {
		this.source.snapshot = null;

		assertThatExceptionOfType(SnapshotUnavailableException.class)
			.isThrownBy(() -> service(check("a", s -> CheckOutcome.pass())).report())
			.withMessage("The cluster snapshot is not ready yet; still waiting for: machines.cluster.x-k8s.io")
			.satisfies(ex -> assertThat(ex.pending()).extracting(KindStatus::resource)
				.containsExactly("machines.cluster.x-k8s.io"));
	}

	@Test
	void reportsTheSnapshotItWasComputedFrom() {
		ReadinessReport report = service(check("a", s -> CheckOutcome.pass())).report();

		assertThat(report.snapshot().source()).isEqualTo("test");
		assertThat(report.snapshot().takenAt()).isEqualTo(NOW.minusSeconds(30));
		assertThat(report.snapshot().ageSeconds()).isEqualTo(30);
		assertThat(report.evaluatedAt()).isEqualTo(NOW);
		assertThat(report.snapshot().kinds()).extracting(KindStatus::resource)
			.startsWith("nodes", "pods", "machines.cluster.x-k8s.io")
			.hasSize(WatchedKind.values().length);
	}

	// ---- acknowledgements -------------------------------------------------------------------------------------

	@Test
	void anAcknowledgedBlockingFindingStaysInTheReportButNoLongerBlocks() {
		ReportService service = service(acknowledgements(rule("a", "Node", null, "harv1", null, "known", null)),
				check("a", blockingFinding()), check("b", s -> CheckOutcome.pass()));

		ReadinessReport report = service.report();

		assertThat(report.verdict()).isEqualTo(Verdict.READY);
		assertThat(report.findings()).singleElement().satisfies(finding -> {
			assertThat(finding.blocking()).isTrue();
			assertThat(finding.acknowledged())
				.isEqualTo(new Finding.Acknowledgement("known", null, "upgrade-readiness.acknowledgements[0]"));
		});
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(2, 1, 1, 0, 0, 1, 0, 1));
		assertThat(report.checks().get(0).status()).as("the check still found it").isEqualTo(CheckStatus.FAIL);
		assertThat(report.reasons()).isEmpty();
		assertThat(report.expiredAcknowledgements()).isNull();
	}

	@Test
	void anUnmatchedFindingStillBlocks() {
		for (AcknowledgementProperties.Rule rule : List.of(rule("a", "Node", null, "harv2", null, "other node", null),
				rule("b", "Node", null, "harv1", null, "other check", null),
				rule("a", "Machine", null, "harv1", null, "other kind", null),
				rule("a", null, "default", "harv1", null, "cluster-scoped node has no namespace", null),
				rule("a", null, null, null, Map.of("role", "witness"), "other label", null))) {
			ReadinessReport report = service(acknowledgements(rule), check("a", blockingFinding()),
					check("b", s -> CheckOutcome.pass()))
				.report();

			assertThat(report.verdict()).as(rule.reason()).isEqualTo(Verdict.NOT_READY);
			assertThat(report.findings().get(0).acknowledged()).as(rule.reason()).isNull();
			assertThat(report.summary().blockingFindings()).as(rule.reason()).isEqualTo(1);
		}
	}

	@Test
	void aRuleAppliesThroughItsExpiryDayAndIsReportedAsExpiredAfter() {
		AcknowledgementProperties.Rule today = rule("a", "node", null, "harv1", null, "until today",
				java.time.LocalDate.parse("2026-11-26"));
		ReadinessReport applies = service(acknowledgements(today), check("a", blockingFinding())).report();
		assertThat(applies.verdict()).isEqualTo(Verdict.READY);
		assertThat(applies.findings().get(0).acknowledged().expires()).isEqualTo("2026-11-26");

		AcknowledgementProperties.Rule yesterday = rule("a", "Node", null, "harv1", null, "until yesterday",
				java.time.LocalDate.parse("2026-11-25"));
		ReadinessReport expired = service(acknowledgements(yesterday), check("a", blockingFinding())).report();
		assertThat(expired.verdict()).isEqualTo(Verdict.NOT_READY);
		assertThat(expired.findings().get(0).acknowledged()).isNull();
		assertThat(expired.expiredAcknowledgements()).containsExactly(new ReadinessReport.ExpiredAcknowledgement(
				"upgrade-readiness.acknowledgements[0]", "a", "until yesterday", java.time.LocalDate.parse("2026-11-25"),
				List.of(expired.findings().get(0).id())));
	}

	@Test
	void aLabelSelectorMatchesTheLabelsOfTheObjectInTheSnapshot() {
		this.source.snapshot = snapshotWithNode(Map.of("app.kubernetes.io/name", "harvester", "role", "witness"));

		ReadinessReport report = service(acknowledgements(
				rule("a", null, null, null, Map.of("app.kubernetes.io/name", "harvester"), "by label", null)),
				check("a", blockingFinding()))
			.report();

		assertThat(report.verdict()).isEqualTo(Verdict.READY);
		assertThat(report.summary().acknowledged()).isEqualTo(1);
	}

	@Test
	void aRuleWithOnlyACheckIdAcknowledgesEveryFindingOfThatCheck() {
		ReadinessReport report = service(acknowledgements(rule("a", null, null, null, null, "whole check", null)),
				check("a", blockingFinding()))
			.report();

		assertThat(report.summary().acknowledged()).isEqualTo(1);
	}

	@Test
	void acknowledgementsKeepTheMemoisedEvaluation() {
		AtomicInteger evaluations = new AtomicInteger();
		ReportService service = service(acknowledgements(rule("a", "Node", null, "harv1", null, "known", null)),
				check("a", s -> {
					evaluations.incrementAndGet();
					return blockingFinding().apply(s);
				}));

		service.report();
		service.report();

		assertThat(evaluations).hasValue(1);
		assertThat(service.report().summary().acknowledged()).isEqualTo(1);
	}

	@Test
	void rulesWithoutAReasonOrWithAnUnknownCheckAreRefused() {
		CheckCatalogue catalogue = new CheckCatalogue(List.of(check("a", s -> CheckOutcome.pass())));

		assertThatExceptionOfType(InvalidAcknowledgementsException.class)
			.isThrownBy(() -> Acknowledgements.of(List.of(rule("a", null, null, "x", null, " ", null),
					rule("nope", null, null, null, null, "why", null), rule("a", null, null, null, null, "fine", null)),
					catalogue))
			.satisfies(ex -> assertThat(ex.problems()).containsExactly(
					"upgrade-readiness.acknowledgements[0]: 'reason' is required: say why the finding is accepted",
					"upgrade-readiness.acknowledgements[1]: unknown check id 'nope'"));
	}

	private static Acknowledgements acknowledgements(AcknowledgementProperties.Rule... rules) {
		return Acknowledgements.of(List.of(rules),
				new CheckCatalogue(List.of(check("a", s -> CheckOutcome.pass()), check("b", s -> CheckOutcome.pass()))));
	}

	private static AcknowledgementProperties.Rule rule(String check, String kind, String namespace, String name,
			Map<String, String> labels, String reason, java.time.LocalDate expires) {
		return new AcknowledgementProperties.Rule(check, kind, namespace, name,
				(labels != null) ? new AcknowledgementProperties.LabelSelector(labels) : null, reason, expires);
	}

	private ReportService service(Acknowledgements acknowledgements, Check... checks) {
		return new ReportService(this.source, new CheckCatalogue(List.of(checks)), new CheckRunner(),
				Clock.fixed(NOW, ZoneOffset.UTC), CheckOptions.defaults(), java.time.Duration.ofSeconds(60),
				acknowledgements);
	}

	private static ClusterSnapshot snapshotWithNode(Map<String, String> labels) {
		io.fabric8.kubernetes.api.model.GenericKubernetesResource node = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
		node.setApiVersion("v1");
		node.setKind("Node");
		node.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("harv1")
			.withLabels(labels)
			.build());
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder("test", NOW.minusSeconds(30), 1);
		for (WatchedKind kind : WatchedKind.values()) {
			builder.present(kind, kind.defaultApiVersion(),
					(kind == WatchedKind.NODES) ? List.of(io.harvester.upgradereadiness.cluster.KubeObject.of(node))
							: List.of());
		}
		return builder.build();
	}

	private ReportService service(Check... checks) {
		return service(Clock.fixed(NOW, ZoneOffset.UTC), checks);
	}

	private ReportService service(Clock clock, Check... checks) {
		return new ReportService(this.source, new CheckCatalogue(List.of(checks)), new CheckRunner(), clock,
				CheckOptions.defaults(), java.time.Duration.ofSeconds(60));
	}

	private static Check counting(String id, AtomicInteger evaluations) {
		return check(id, s -> {
			evaluations.incrementAndGet();
			return CheckOutcome.pass();
		});
	}

	private static Function<ClusterSnapshot, CheckOutcome> blockingFinding() {
		return s -> CheckOutcome.of(List.of(Finding.of(definition("a"), "broken", "node harv1 is broken",
				"fix it", List.of(NODE), Map.of())));
	}

	private static CheckDefinition definition(String id) {
		return new CheckDefinition(id, "Check " + id, "test", Severity.ERROR, true, "test check",
				id.equals("needs-machines") ? List.of(WatchedKind.MACHINES) : List.of(WatchedKind.NODES), "none", null);
	}

	private static Check check(String id, Function<ClusterSnapshot, CheckOutcome> logic) {
		CheckDefinition definition = definition(id);
		return new Check() {

			@Override
			public CheckDefinition definition() {
				return definition;
			}

			@Override
			public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
				return logic.apply(snapshot);
			}

		};
	}

	private static ClusterSnapshot snapshot(long version, boolean machinesPresent) {
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder("test", NOW.minusSeconds(30), version);
		for (WatchedKind kind : WatchedKind.values()) {
			if (kind == WatchedKind.MACHINES && !machinesPresent) {
				builder.status(KindStatus.absent(WatchedKind.MACHINES, "not installed"), WatchedKind.MACHINES);
			}
			else {
				builder.present(kind, kind.defaultApiVersion(), List.of());
			}
		}
		return builder.build();
	}

	/** A clock the test moves. */
	private static final class MutableClock extends Clock {

		volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	private static final class TestSource implements SnapshotSource {

		ClusterSnapshot snapshot;

		Freshness freshness = Freshness.FRESH;

		@Override
		public Freshness freshness() {
			return this.freshness;
		}

		TestSource(ClusterSnapshot snapshot) {
			this.snapshot = snapshot;
		}

		@Override
		public Optional<ClusterSnapshot> current() {
			return Optional.ofNullable(this.snapshot);
		}

		@Override
		public List<KindStatus> kindStatuses() {
			return List.of(KindStatus.present(WatchedKind.NODES, "v1", 0),
					KindStatus.syncing(WatchedKind.MACHINES, "cluster.x-k8s.io/v1beta1", "waiting"));
		}

		@Override
		public String description() {
			return "test";
		}

	}

}
