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
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(2, 2, 0, 0, 0, 0, 0));
	}

	@Test
	void isNotReadyWhenAFindingBlocksEvenIfAnotherCheckErrors() {
		ReadinessReport report = service(check("a", blockingFinding()), check("b", s -> {
			throw new IllegalStateException("boom");
		})).report();

		assertThat(report.verdict()).isEqualTo(Verdict.NOT_READY);
		assertThat(report.ready()).isFalse();
		assertThat(report.summary()).isEqualTo(new ReadinessReport.Summary(2, 0, 1, 0, 1, 1, 1));
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

	private ReportService service(Check... checks) {
		return new ReportService(this.source, new CheckCatalogue(List.of(checks)), new CheckRunner(),
				Clock.fixed(NOW, ZoneOffset.UTC), CheckOptions.defaults(), java.time.Duration.ofSeconds(60));
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

	private static final class TestSource implements SnapshotSource {

		ClusterSnapshot snapshot;

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
