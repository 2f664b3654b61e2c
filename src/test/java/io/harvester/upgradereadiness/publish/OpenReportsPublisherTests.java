package io.harvester.upgradereadiness.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.OpenReportsClient;
import io.harvester.upgradereadiness.report.Acknowledgements;
import io.harvester.upgradereadiness.report.ReadinessReport;
import io.harvester.upgradereadiness.report.SnapshotUnavailableException;
import io.harvester.upgradereadiness.support.MockCluster;
import io.harvester.upgradereadiness.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The publisher against the fabric8 CRUD mock API server with the OpenReports CRD installed (or not), one round at a
 * time on a clock moved by hand: created, updated only on change, debounced, truncated, CRD absent, 403, 409, and the
 * API server down and back.
 */
@ExtendWith(OutputCaptureExtension.class)
class OpenReportsPublisherTests {

	static final String NAMESPACE = "harvester-system";

	static final String NAME = "harvester-upgrade-readiness";

	static final String REPORT_PATH = "/apis/openreports.io/v1alpha1/namespaces/" + NAMESPACE + "/reports";

	static final ResourceDefinitionContext REPORTS = new ResourceDefinitionContext.Builder().withGroup("openreports.io")
		.withVersion("v1alpha1")
		.withKind("Report")
		.withPlural("reports")
		.withNamespaced(true)
		.build();

	static final ReadinessReport DEMO = OpenReportMappingTests.demo();

	static final ReadinessReport HEALTHY = OpenReportMappingTests.report("src/test/resources/snapshots/healthy-cluster",
			Acknowledgements.none());

	final MockCluster cluster = new MockCluster();

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));

	final AtomicReference<ReadinessReport> current = new AtomicReference<>(DEMO);

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	KubernetesClient serviceClient;

	OpenReportsMetrics metrics;

	@BeforeEach
	void startCluster() {
		this.cluster.start();
		this.serviceClient = this.cluster.serviceClient();
		this.metrics = new OpenReportsMetrics(this.registry);
	}

	@AfterEach
	void stopCluster() {
		this.serviceClient.close();
		this.cluster.close();
	}

	@Test
	void createsTheReportWithTheVerdictAndEachBlockingFindingOnceTheCrdIsServed() {
		this.cluster.installOpenReportsCrd();
		OpenReportsPublisher publisher = publisher(500);

		publisher.publishOnce();

		GenericKubernetesResource report = stored();
		assertThat(report.getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict", "NOT_READY")
			.containsEntry("app.kubernetes.io/managed-by", "harvester-upgrade-readiness");
		assertThat(failMessages(report)).containsExactlyElementsOf(
				DEMO.findings().stream().filter(Finding::blocking).map(Finding::message).toList());
		assertThat(OpenReportMapping.content(report))
			.isEqualTo(OpenReportMapping.content(OpenReportMapping.map(DEMO, NAMESPACE, NAME, 500)));
		assertThat(writes()).isEqualTo(Map.of("ok", 1.0, "conflict", 0.0, "forbidden", 0.0, "error", 0.0));
		assertThat(this.registry.get("upgrade.readiness.openreports.crd.present").gauge().value()).isEqualTo(1.0);
		assertThat(publisher.details()).containsEntry("state", "published")
			.containsEntry("crdPresent", true)
			.containsEntry("report", "harvester-system/harvester-upgrade-readiness")
			.containsEntry("lastResult", "ok")
			.containsEntry("truncated", false)
			.doesNotContainKey("reason");
	}

	@Test
	void writesAgainOnlyWhenTheContentChangesNotForANewEvaluationThatFoundTheSame() {
		this.cluster.installOpenReportsCrd();
		OpenReportsPublisher publisher = publisher(500);
		publisher.publishOnce();
		this.cluster.takeRequests();

		this.clock.advance(Duration.ofMinutes(5));
		this.current.set(OpenReportMappingTests.report("classpath:demo-snapshot", Acknowledgements.none(),
				this.clock.instant()));
		publisher.publishOnce();
		publisher.publishOnce();

		assertThat(this.cluster.takeRequests()).as("a re-evaluation with the same findings writes nothing")
			.noneMatch(r -> r.startsWith("POST") || r.startsWith("PUT") || r.startsWith("PATCH"));
		assertThat(writes().get("ok")).isEqualTo(1.0);

		this.current.set(HEALTHY);
		publisher.publishOnce();

		assertThat(this.cluster.takeRequests()).contains("PUT " + REPORT_PATH + "/" + NAME);
		GenericKubernetesResource report = stored();
		assertThat(report.getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict", "READY");
		assertThat(failMessages(report)).isEmpty();
		assertThat(writes().get("ok")).isEqualTo(2.0);
	}

	@Test
	void neverWritesMoreOftenThanTheMinIntervalAndWritesTheLatestContentAtItsEnd() {
		this.cluster.installOpenReportsCrd();
		OpenReportsPublisher publisher = publisher(500);
		publisher.publishOnce();

		this.clock.advance(Duration.ofSeconds(10));
		this.current.set(HEALTHY);
		publisher.publishOnce();
		this.clock.advance(Duration.ofSeconds(19));
		publisher.publishOnce();

		assertThat(stored().getMetadata().getLabels()).as("29 s after the last write")
			.containsEntry("upgrade-readiness.harvesterhci.io/verdict", "NOT_READY");
		assertThat(writes().get("ok")).isEqualTo(1.0);
		assertThat(publisher.details()).containsEntry("state", "published");

		this.clock.advance(Duration.ofSeconds(1));
		publisher.publishOnce();

		assertThat(stored().getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict", "READY");
		assertThat(writes().get("ok")).isEqualTo(2.0);
	}

	@Test
	void truncatesToMaxResultsAndSaysSo() {
		this.cluster.installOpenReportsCrd();
		OpenReportsPublisher publisher = publisher(3);

		publisher.publishOnce();

		GenericKubernetesResource report = stored();
		assertThat(OpenReportMappingTests.results(report)).hasSize(3)
			.allSatisfy(r -> assertThat(r).containsEntry("result", "fail"));
		assertThat(report.getMetadata().getAnnotations().get("upgrade-readiness.harvesterhci.io/truncated"))
			.startsWith("kept 3 of ");
		assertThat(publisher.details()).containsEntry("results", 3).containsEntry("truncated", true);
	}

	@Test
	void writesNothingWhileTheCrdIsAbsentSaysWhyAndPublishesOnceItIsInstalled() {
		OpenReportsPublisher publisher = publisher(500);

		publisher.publishOnce();
		publisher.publishOnce();

		assertThat(this.cluster.takeRequests()).as("only discovery")
			.containsOnly("GET /apis/openreports.io/v1alpha1");
		assertThat(publisher.details()).containsEntry("state", "crd-absent")
			.containsEntry("crdPresent", false)
			.containsEntry("reason", "the API server does not serve reports.openreports.io (openreports.io/v1alpha1): "
					+ "nothing is published until the OpenReports CRDs are installed");
		assertThat(this.registry.get("upgrade.readiness.openreports.crd.present").gauge().value()).isZero();
		assertThat(writes().values()).containsOnly(0.0);

		this.cluster.installOpenReportsCrd();
		this.clock.advance(Duration.ofSeconds(30));
		publisher.publishOnce();

		assertThat(stored().getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict",
				"NOT_READY");
		assertThat(this.registry.get("upgrade.readiness.openreports.crd.present").gauge().value()).isEqualTo(1.0);
	}

	@Test
	void aForbiddenWriteIsCountedLoggedOnceRetriedWithBackOffAndRecovers(CapturedOutput output) {
		this.cluster.installOpenReportsCrd();
		this.cluster.server()
			.expect()
			.get()
			.withPath(REPORT_PATH + "/" + NAME)
			.andReturn(403, new StatusBuilder().withStatus("Failure")
				.withReason("Forbidden")
				.withCode(403)
				.withMessage("reports.openreports.io \"" + NAME + "\" is forbidden: User \"system:serviceaccount:"
						+ NAMESPACE + ":upgrade-readiness\" cannot get resource \"reports\" in API group "
						+ "\"openreports.io\" in the namespace \"" + NAMESPACE + "\"")
				.build())
			.times(2);
		OpenReportsPublisher publisher = publisher(500);

		publisher.publishOnce();

		assertThat(writes()).containsEntry("forbidden", 1.0).containsEntry("ok", 0.0);
		String reason = "forbidden: the service account may not write reports.openreports.io in namespace "
				+ "harvester-system (HTTP 403 Forbidden); grant apiGroups: [openreports.io], resources: [reports], "
				+ "verbs: [get, create, update, patch] in namespace harvester-system (chart: "
				+ "publish.openReports.enabled=true)";
		assertThat(publisher.details()).containsEntry("state", "failing")
			.containsEntry("reason", reason)
			.containsEntry("lastResult", "forbidden")
			.containsEntry("nextAttemptAt", "2026-11-26T00:00:30Z");

		this.clock.advance(Duration.ofSeconds(29));
		publisher.publishOnce();
		assertThat(writes().get("forbidden")).as("not before the back-off").isEqualTo(1.0);
		this.clock.advance(Duration.ofSeconds(1));
		publisher.publishOnce();
		assertThat(writes().get("forbidden")).isEqualTo(2.0);
		assertThat(publisher.details()).as("doubled").containsEntry("nextAttemptAt", "2026-11-26T00:01:30Z");
		assertThat(output.getOut().split("may not write reports.openreports.io", -1)).as("logged once").hasSize(2);

		this.clock.advance(Duration.ofSeconds(60));
		publisher.publishOnce();

		assertThat(writes()).containsEntry("forbidden", 2.0).containsEntry("ok", 1.0);
		assertThat(publisher.details()).containsEntry("state", "published").doesNotContainKey("reason");
		assertThat(output.getOut()).contains("Published Report harvester-system/harvester-upgrade-readiness again");
	}

	@Test
	void aConflictIsCountedAndTheNextAttemptWritesOverTheNewVersion() {
		this.cluster.installOpenReportsCrd();
		OpenReportsPublisher publisher = publisher(500);
		publisher.publishOnce();
		this.cluster.server()
			.expect()
			.put()
			.withPath(REPORT_PATH + "/" + NAME)
			.andReturn(409, new StatusBuilder().withStatus("Failure")
				.withReason("Conflict")
				.withCode(409)
				.withMessage("Operation cannot be fulfilled on reports.openreports.io \"" + NAME + "\": the object has "
						+ "been modified; please apply your changes to the latest version and try again")
				.build())
			.once();

		this.current.set(HEALTHY);
		this.clock.advance(Duration.ofSeconds(30));
		publisher.publishOnce();

		assertThat(writes()).containsEntry("conflict", 1.0).containsEntry("ok", 1.0);
		assertThat(publisher.details()).containsEntry("state", "failing")
			.containsEntry("reason", "conflict: Report harvester-system/harvester-upgrade-readiness was changed "
					+ "meanwhile (HTTP 409 Conflict: the Report was changed meanwhile)");

		this.clock.advance(Duration.ofSeconds(30));
		publisher.publishOnce();

		assertThat(writes()).containsEntry("conflict", 1.0).containsEntry("ok", 2.0);
		assertThat(stored().getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict", "READY");
	}

	@Test
	void whileTheApiServerIsDownWritesFailAsErrorsAndOnceItIsBackTheReportIsWrittenAgain() {
		this.cluster.installOpenReportsCrd();
		OpenReportsPublisher publisher = publisher(500);
		publisher.publishOnce();

		this.cluster.stop();
		this.current.set(HEALTHY);
		this.clock.advance(Duration.ofSeconds(30));
		publisher.publishOnce();

		assertThat(writes()).containsEntry("error", 1.0).containsEntry("ok", 1.0);
		assertThat(publisher.details()).containsEntry("state", "failing")
			.containsEntry("crdPresent", true)
			.hasEntrySatisfying("reason", reason -> assertThat((String) reason)
				.startsWith("cannot write Report harvester-system/harvester-upgrade-readiness: "));

		this.cluster.start();
		this.cluster.installOpenReportsCrd();
		this.clock.advance(Duration.ofSeconds(30));
		publisher.publishOnce();

		assertThat(writes()).containsEntry("error", 1.0).containsEntry("ok", 2.0);
		assertThat(stored().getMetadata().getLabels()).containsEntry("upgrade-readiness.harvesterhci.io/verdict", "READY");
		assertThat(publisher.details()).containsEntry("state", "published");
	}

	@Test
	void waitsForTheFirstSnapshotWithoutWriting() {
		this.cluster.installOpenReportsCrd();
		this.current.set(null);
		OpenReportsPublisher publisher = publisher(500);

		publisher.publishOnce();

		assertThat(publisher.details()).containsEntry("state", "waiting")
			.containsEntry("reason", "waiting for the first snapshot of the cluster");
		assertThat(this.cluster.admin().genericKubernetesResources(REPORTS).inNamespace(NAMESPACE).list().getItems())
			.isEmpty();
	}

	// ---- helpers -------------------------------------------------------------------------------------------

	private OpenReportsPublisher publisher(int maxResults) {
		OpenReportsProperties properties = new OpenReportsProperties(true, null, NAME, Duration.ofSeconds(30),
				maxResults);
		return new OpenReportsPublisher(new OpenReportsClient(this.serviceClient), () -> {
			ReadinessReport report = this.current.get();
			if (report == null) {
				throw new SnapshotUnavailableException(List.of());
			}
			return report;
		}, properties, NAMESPACE, Duration.ofSeconds(30), Duration.ofSeconds(2), this.clock, this.metrics);
	}

	private GenericKubernetesResource stored() {
		GenericKubernetesResource report = this.cluster.admin()
			.genericKubernetesResources(REPORTS)
			.inNamespace(NAMESPACE)
			.withName(NAME)
			.get();
		assertThat(report).as("the Report on the API server").isNotNull();
		return report;
	}

	private Map<String, Double> writes() {
		Map<String, Double> writes = new java.util.LinkedHashMap<>();
		for (String result : OpenReportsMetrics.RESULTS) {
			writes.put(result, this.metrics.writes(result));
		}
		return writes;
	}

	private static List<Object> failMessages(GenericKubernetesResource report) {
		return OpenReportMappingTests.results(report)
			.stream()
			.filter(r -> "fail".equals(r.get("result")))
			.map(r -> r.get("message"))
			.toList();
	}

}
