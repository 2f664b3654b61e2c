package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * No other Harvester Upgrade may be running or waiting for its cleanup.
 * <p>
 * Harvester's webhook (HV-03) refuses a new Upgrade while any Upgrade's label {@code harvesterhci.io/upgradeState}
 * is not {@code Succeeded} or {@code Failed}; it selects with {@code notin}, so an Upgrade with no such label (just
 * created, or left over from an aborted attempt) counts as in progress too. Since v1.7.0 it also refuses while an
 * ended Upgrade still carries {@code harvesterhci.io/upgradeCleanup=Pending} (HV-04): the controller sets it when an
 * upgrade ends and flips it to {@code Succeeded} once the upgrade's leftovers are removed. Harvester names the
 * first offender; we report every one.
 */
public final class UpgradeNotInProgressCheck implements Check {

	static final String STATE_LABEL = "harvesterhci.io/upgradeState";

	static final String CLEANUP_LABEL = "harvesterhci.io/upgradeCleanup";

	private static final Set<String> ENDED_STATES = Set.of("Succeeded", "Failed");

	static final CheckDefinition DEFINITION = new CheckDefinition("upgrade-not-in-progress",
			"No other upgrade in progress", "platform", Severity.ERROR, true,
			"No Harvester Upgrade (upgrades.harvesterhci.io) may be in progress: each must carry the label "
					+ "harvesterhci.io/upgradeState=Succeeded or Failed (an Upgrade without the label counts as in "
					+ "progress, as in Harvester), and none may still carry harvesterhci.io/upgradeCleanup=Pending.",
			List.of(WatchedKind.UPGRADES),
			"Upgrade webhook since v1.2.0 (HV-03: upgrade in progress); the cleanup label since v1.7.0 (HV-04)",
			"v1.2.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<KubeObject> upgrades = snapshot.objects(WatchedKind.UPGRADES);
		List<Finding> findings = new ArrayList<>();
		for (KubeObject upgrade : upgrades) {
			String state = upgrade.label(STATE_LABEL).orElse(null);
			if (inProgress(upgrade)) {
				findings.add(Finding.of(DEFINITION, "upgrade-in-progress",
						"cannot proceed until previous upgrade \"" + upgrade.ref().qualifiedName() + "\" completes",
						"Wait for the upgrade to end: kubectl get upgrades.harvesterhci.io -n " + upgrade.namespace()
								+ " -L " + STATE_LABEL + " (its state must become Succeeded or Failed). If it is stale "
								+ "(no " + STATE_LABEL + " label, or stuck for hours), read its status.conditions "
								+ "with kubectl get upgrades.harvesterhci.io -n " + upgrade.namespace() + " "
								+ upgrade.name() + " -o yaml and the upgrade logs before deleting it; never delete "
								+ "an upgrade whose nodes are being upgraded.",
						List.of(upgrade.ref()), details(upgrade, state)));
			}
		}
		for (KubeObject upgrade : upgrades) {
			if ("Pending".equals(upgrade.label(CLEANUP_LABEL).orElse(null))) {
				findings.add(Finding.of(DEFINITION, "upgrade-cleanup-pending",
						"cannot proceed until the following upgrades completed their cleanup process: "
								+ upgrade.name(),
						"Harvester removes an ended upgrade's leftovers (repository VM and image, jobs) and then sets "
								+ CLEANUP_LABEL + "=Succeeded. Wait for it; if it stays Pending, look for the "
								+ "cleanup error in the Harvester controller's log: kubectl logs -n harvester-system "
								+ "deploy/harvester | grep -i cleanup.",
						List.of(upgrade.ref()), details(upgrade, upgrade.label(STATE_LABEL).orElse(null))));
			}
		}
		return CheckOutcome.of(findings);
	}

	/** Whether Harvester counts this Upgrade as in progress (HV-03): its state label is not Succeeded or Failed. */
	static boolean inProgress(KubeObject upgrade) {
		String state = upgrade.label(STATE_LABEL).orElse(null);
		return state == null || !ENDED_STATES.contains(state);
	}

	private static Map<String, Object> details(KubeObject upgrade, String state) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("upgradeState", state);
		upgrade.label(CLEANUP_LABEL).ifPresent(cleanup -> details.put("upgradeCleanup", cleanup));
		upgrade.string("spec.version").ifPresent(version -> details.put("version", version));
		upgrade.string("status.previousVersion").ifPresent(previous -> details.put("previousVersion", previous));
		return details;
	}

}
