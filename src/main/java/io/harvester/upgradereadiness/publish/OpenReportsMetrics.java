package io.harvester.upgradereadiness.publish;

import java.util.EnumMap;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.OpenReportsClient.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code upgrade_readiness_openreports_writes_total{result}} ({@code ok}, {@code conflict}, {@code forbidden},
 * {@code error}; every one registered at 0, so that a rate is defined from the start) and
 * {@code upgrade_readiness_openreports_crd_present} (0/1).
 */
public final class OpenReportsMetrics {

	/** The {@code result} label values. */
	public static final java.util.List<String> RESULTS = java.util.List.of("ok", "conflict", "forbidden", "error");

	private final MeterRegistry registry;

	private final Map<Outcome, Counter> writes = new EnumMap<>(Outcome.class);

	public OpenReportsMetrics(MeterRegistry registry) {
		this.registry = registry;
		Map<String, Counter> byResult = new java.util.HashMap<>();
		for (String result : RESULTS) {
			byResult.put(result, Counter.builder("upgrade.readiness.openreports.writes")
				.description("Writes of the OpenReports Report, by result")
				.tag("result", result)
				.register(registry));
		}
		for (Outcome outcome : Outcome.values()) {
			if (outcome != Outcome.UNCHANGED) {
				this.writes.put(outcome, byResult.get(result(outcome)));
			}
		}
	}

	/** The {@code result} label of a write: {@code ok}, {@code conflict}, {@code forbidden} or {@code error}. */
	static String result(Outcome outcome) {
		return switch (outcome) {
			case CREATED, UPDATED, UNCHANGED -> "ok";
			case CONFLICT -> "conflict";
			case FORBIDDEN -> "forbidden";
			case ERROR -> "error";
		};
	}

	void counted(Outcome outcome) {
		Counter counter = this.writes.get(outcome);
		if (counter != null) {
			counter.increment();
		}
	}

	/** Registers the CRD gauge; Micrometer holds the publisher weakly, and Spring holds it for the application's life. */
	void crdPresent(OpenReportsPublisher publisher) {
		Gauge.builder("upgrade.readiness.openreports.crd.present", publisher, p -> p.crdPresent() ? 1 : 0)
			.description("1 while the API server serves reports.openreports.io (the OpenReports CRD), else 0")
			.register(this.registry);
	}

	/** The count of writes with this result label so far. */
	public double writes(String result) {
		return this.registry.get("upgrade.readiness.openreports.writes").tag("result", result).counter().count();
	}

}
