package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Every ManagedChart in {@code fleet-local} must be Ready.
 * <p>
 * The upgrade re-deploys Harvester through these charts ({@code harvester}, {@code harvester-crd},
 * {@code rancher-monitoring-crd}, {@code rancher-logging-crd}, sometimes
 * {@code local-managed-system-upgrade-controller}); one that is already broken makes the upgrade wait forever. As in
 * Harvester's webhook (HV-11, since v1.1.2, harvester/harvester#3391; the "or fix it" wording since v1.7.0), only the first {@code Ready} condition is
 * read, and a chart without one passes (it has not been processed yet, and Harvester does not hold that against
 * it).
 */
public final class ManagedChartsReadyCheck implements Check {

	static final String NAMESPACE = "fleet-local";

	static final CheckDefinition DEFINITION = new CheckDefinition("managed-charts-ready", "ManagedCharts ready",
			"platform", Severity.ERROR, true,
			"Every ManagedChart (managedcharts.management.cattle.io) in fleet-local whose Ready condition is present "
					+ "must have it True.",
			List.of(WatchedKind.MANAGED_CHARTS), "Upgrade webhook since v1.1.2 (HV-11, harvester/harvester#3391; the wording \"or fix it\" since v1.7.0)",
			"v1.1.2");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject chart : snapshot.objects(WatchedKind.MANAGED_CHARTS)) {
			if (!NAMESPACE.equals(chart.namespace())) {
				continue;
			}
			Optional<KubeObject.Condition> ready = chart.condition("status.conditions", "Ready");
			if (ready.isEmpty() || ready.get().isTrue()) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("ready", ready.get().describe());
			chart.string("status.display.state").ifPresent(state -> details.put("state", state));
			chart.integer("status.summary.ready").ifPresent(n -> details.put("summaryReady", n));
			chart.integer("status.summary.desiredReady").ifPresent(n -> details.put("summaryDesiredReady", n));
			findings.add(Finding.of(DEFINITION, "managed-chart-not-ready",
					"managed chart " + chart.name() + " is not ready, please wait for it to be ready or fix it",
					"Read why: kubectl get managedcharts.management.cattle.io -n " + NAMESPACE + " " + chart.name()
							+ " -o yaml (status.conditions, status.summary.nonReadyResources) and its Fleet bundle: "
							+ "kubectl get bundles.fleet.cattle.io -n " + NAMESPACE + " mcc-" + chart.name()
							+ " -o yaml. Fix the resources it names (often a pod that does not start) and wait for "
							+ "Ready=True.",
					List.of(chart.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
