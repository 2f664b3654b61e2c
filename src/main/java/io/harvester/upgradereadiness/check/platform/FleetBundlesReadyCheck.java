package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Fleet's Helm bundles must be deployed, and Harvester's own bundle exactly so.
 * <p>
 * From the upgrade-helpers pre-check script, which fails on both (UH-04, UH-05); Harvester's webhook checks the
 * ManagedCharts instead ({@code managed-charts-ready}), which misses a Helm bundle of another owner that never
 * became ready and a Harvester bundle that is Ready but modified. We keep the script's rules, with two
 * deliberate differences:
 * <ul>
 * <li>The script wants {@code fleet-local/mcc-harvester}'s {@code status.summary} to be exactly
 * {@code {desiredReady: 1, ready: 1}}. Fleet releases that omit zero counters write exactly that; newer Fleet
 * releases write every counter ({@code notReady: 0}, ...), on which the script's comparison always fails. We accept
 * counters other than {@code desiredReady} and {@code ready} when they are zero (and an empty
 * {@code nonReadyResources}), which is the same rule on older Fleet.</li>
 * <li>The script skips every bundle named {@code mcc-harvester}; we skip only {@code fleet-local/mcc-harvester},
 * which the second rule checks.</li>
 * </ul>
 * A missing {@code fleet-local/mcc-harvester} is a finding, since the script fails on it too (its comparison sees
 * nothing) and a Harvester cluster always has it.
 */
public final class FleetBundlesReadyCheck implements Check {

	static final String HARVESTER_BUNDLE_NAMESPACE = "fleet-local";

	static final String HARVESTER_BUNDLE_NAME = "mcc-harvester";

	private static final String HARVESTER_BUNDLE = HARVESTER_BUNDLE_NAMESPACE + "/" + HARVESTER_BUNDLE_NAME;

	private static final Set<String> EXPECTED_COUNTERS = Set.of("desiredReady", "ready");

	static final CheckDefinition DEFINITION = new CheckDefinition("fleet-bundles-ready", "Fleet bundles ready",
			"platform", Severity.ERROR, true,
			"Every Fleet Helm bundle (bundles.fleet.cattle.io with spec.helm, all namespaces) must have at least one "
					+ "ready deployment, and Harvester's bundle fleet-local/mcc-harvester must exist with "
					+ "status.summary showing one desired and one ready deployment and nothing else.",
			List.of(WatchedKind.FLEET_BUNDLES),
			"upgrade-helpers pre-check (UH-04, UH-05); not enforced by the Upgrade webhook", null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		KubeObject harvesterBundle = null;
		for (KubeObject bundle : snapshot.objects(WatchedKind.FLEET_BUNDLES)) {
			if (HARVESTER_BUNDLE_NAMESPACE.equals(bundle.namespace()) && HARVESTER_BUNDLE_NAME.equals(bundle.name())) {
				harvesterBundle = bundle;
				continue;
			}
			if (bundle.value("spec.helm").isPresent() && bundle.integer("status.summary.ready").orElse(-1L) == 0) {
				findings.add(Finding.of(DEFINITION, "helm-bundle-not-ready",
						"There are non-ready Helm bundles: " + bundle.ref().qualifiedName(),
						"Read why the bundle is not deployed: kubectl get bundles.fleet.cattle.io -n "
								+ bundle.namespace() + " " + bundle.name() + " -o yaml (status.conditions, "
								+ "status.summary.nonReadyResources, status.display), and its bundle deployments: "
								+ "kubectl get bundledeployments.fleet.cattle.io -A. A bundle that targets no cluster "
								+ "(desiredReady 0) is reported too, as by the pre-check script; delete it if it is "
								+ "unused.",
						List.of(bundle.ref()), details(bundle)));
			}
		}
		if (harvesterBundle == null) {
			findings.add(Finding.of(DEFINITION, "harvester-bundle-missing",
					"Harvester bundle is not ready! bundles.fleet.cattle.io " + HARVESTER_BUNDLE + " does not exist",
					"Every Harvester cluster has this bundle, made from the ManagedChart fleet-local/harvester. Check "
							+ "kubectl get managedcharts.management.cattle.io -n fleet-local harvester -o yaml; if the "
							+ "snapshot is a support bundle, check that it holds "
							+ "yamls/namespaced/fleet-local/fleet.cattle.io/v1alpha1/bundles.yaml.",
					List.of(missingHarvesterBundleRef(snapshot)), Map.of()));
		}
		else {
			checkHarvesterBundle(harvesterBundle).ifPresent(findings::add);
		}
		return CheckOutcome.of(findings);
	}

	private static Optional<Finding> checkHarvesterBundle(KubeObject bundle) {
		if (bundle.value("status.summary").isEmpty()) {
			return Optional.of(harvesterBundleNotReady(bundle, HARVESTER_BUNDLE + " has no status.summary"));
		}
		Map<String, Object> summary = bundle.map("status.summary");
		boolean settled = bundle.integer("status.summary.desiredReady").orElse(0L) == 1
				&& bundle.integer("status.summary.ready").orElse(0L) == 1 && summary.entrySet()
					.stream()
					.filter(e -> !EXPECTED_COUNTERS.contains(e.getKey()))
					.allMatch(e -> isZero(e.getValue()));
		if (settled) {
			return Optional.empty();
		}
		return Optional.of(harvesterBundleNotReady(bundle, "status.summary of " + HARVESTER_BUNDLE + " is "
				+ describe(summary) + ", expected {desiredReady: 1, ready: 1}"));
	}

	private static Finding harvesterBundleNotReady(KubeObject bundle, String why) {
		return Finding.of(DEFINITION, "harvester-bundle-not-ready", "Harvester bundle is not ready! " + why,
				"Read which resources are not ready or modified: kubectl get bundles.fleet.cattle.io -n "
						+ HARVESTER_BUNDLE_NAMESPACE + " " + HARVESTER_BUNDLE_NAME
						+ " -o jsonpath='{.status.summary}'. "
						+ "A modified resource was changed by hand: revert the change, or let Fleet redeploy it by "
						+ "restoring the resource. Wait until the summary shows desiredReady 1 and ready 1 only.",
				List.of(bundle.ref()), details(bundle));
	}

	private static Map<String, Object> details(KubeObject bundle) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("summary", describe(bundle.map("status.summary")));
		bundle.string("status.display.state").ifPresent(state -> details.put("state", state));
		List<String> nonReady = new ArrayList<>();
		for (Map<String, Object> resource : bundle.objects("status.summary.nonReadyResources")) {
			if (resource.get("name") != null) {
				nonReady.add(String.valueOf(resource.get("name")));
			}
		}
		if (!nonReady.isEmpty()) {
			details.put("nonReadyResources", nonReady);
		}
		return details;
	}

	private static boolean isZero(Object value) {
		if (value == null) {
			return true;
		}
		if (value instanceof Number number) {
			return number.doubleValue() == 0;
		}
		if (value instanceof Collection<?> collection) {
			return collection.isEmpty();
		}
		if (value instanceof Map<?, ?> map) {
			return map.isEmpty();
		}
		String text = value.toString();
		return text.isEmpty() || text.equals("null") || text.equals("0");
	}

	/** {@code {desiredReady: 1, notReady: 1, nonReadyResources: [1 entry], ready: 0}}, keys sorted. */
	static String describe(Map<String, Object> summary) {
		List<String> parts = new ArrayList<>();
		new TreeMap<>(summary).forEach((key, value) -> {
			String shown;
			if (value instanceof Collection<?> collection) {
				shown = "[" + collection.size() + ((collection.size() == 1) ? " entry]" : " entries]");
			}
			else if (value instanceof Map<?, ?>) {
				shown = "{...}";
			}
			else {
				shown = String.valueOf(value);
			}
			parts.add(key + ": " + shown);
		});
		return "{" + String.join(", ", parts) + "}";
	}

	private static ResourceRef missingHarvesterBundleRef(ClusterSnapshot snapshot) {
		String apiVersion = snapshot.status(WatchedKind.FLEET_BUNDLES).apiVersion();
		return new ResourceRef((apiVersion != null) ? apiVersion : WatchedKind.FLEET_BUNDLES.defaultApiVersion(),
				WatchedKind.FLEET_BUNDLES.kind(), HARVESTER_BUNDLE_NAMESPACE, HARVESTER_BUNDLE_NAME);
	}

}
