package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * What an earlier upgrade left behind, which has stalled the next one:
 * <ul>
 * <li>a system-upgrade-controller Plan still applying (its {@code status.applying} lists nodes) while no Harvester
 * Upgrade is in progress: the plan's jobs never finished, and a new upgrade's plans wait behind them (Harvester's
 * v1.7 to v1.8 upgrade notes, harvester/harvester#9880);</li>
 * <li>the logging-operator ManagedChart an upgrade's log collection installs ({@code <upgrade>-upgradelog-operator}
 * in fleet-local, label {@code harvesterhci.io/upgradeLog}) while that upgrade is no longer in progress: Harvester
 * deletes it when the upgrade ends, and a left-over one makes the next upgrade's log collection fail
 * (harvester/harvester#7560, workaround: delete it);</li>
 * <li>an UpgradeLog whose Upgrade no longer exists: it is owned by its Upgrade and should have gone with it.</li>
 * </ul>
 * Warnings: none of them is refused by Harvester, and each is removed by hand.
 */
public final class UpgradeLeftoversCheck implements Check {

	static final String UPGRADE_LOG_LABEL = "harvesterhci.io/upgradeLog";

	static final String UPGRADE_LABEL = "harvesterhci.io/upgrade";

	static final CheckDefinition DEFINITION = new CheckDefinition("upgrade-leftovers", "No leftovers of an earlier "
			+ "upgrade", "platform", Severity.WARNING, false,
			"With no Harvester Upgrade in progress, no system-upgrade-controller Plan (plans.upgrade.cattle.io) may "
					+ "still be applying, no upgrade-log ManagedChart (label harvesterhci.io/upgradeLog) may be left "
					+ "in fleet-local, and no UpgradeLog may outlive its Upgrade.",
			List.of(WatchedKind.UPGRADES, WatchedKind.UPGRADE_PLANS, WatchedKind.MANAGED_CHARTS,
					WatchedKind.UPGRADE_LOGS),
			"Ours: the leftovers Harvester's upgrade notes and issues tell to remove by hand "
					+ "(harvester/harvester#9880, #7560); no Harvester component checks them",
			null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Map<String, KubeObject> upgrades = new HashMap<>();
		List<String> inProgress = new ArrayList<>();
		for (KubeObject upgrade : snapshot.objects(WatchedKind.UPGRADES)) {
			upgrades.put(upgrade.name(), upgrade);
			if (UpgradeNotInProgressCheck.inProgress(upgrade)) {
				inProgress.add(upgrade.name());
			}
		}
		if (!inProgress.isEmpty()) {
			return CheckOutcome.skipped("upgrade " + String.join(", ", inProgress) + " is in progress: its plans, "
					+ "logs and charts are expected");
		}
		List<Finding> findings = new ArrayList<>();
		for (KubeObject plan : snapshot.objects(WatchedKind.UPGRADE_PLANS)) {
			List<String> applying = strings(plan, "status.applying");
			if (applying.isEmpty()) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("applying", applying);
			plan.label(UPGRADE_LABEL).ifPresent(u -> details.put("upgrade", u));
			findings.add(Finding.of(DEFINITION, "plan-still-applying",
					"plan " + plan.ref().qualifiedName() + " is still applying on " + String.join(", ", applying)
							+ " with no upgrade in progress",
					"Look at the plan's jobs: kubectl get jobs -n " + plan.namespace() + " -l upgrade.cattle.io/plan="
							+ plan.name() + " and the system-upgrade-controller log (kubectl logs -n cattle-system "
							+ "deploy/system-upgrade-controller). A plan of a finished Harvester upgrade (label "
							+ UPGRADE_LABEL + ") can be deleted: kubectl delete plans.upgrade.cattle.io -n "
							+ plan.namespace() + " " + plan.name() + "; restarting system-upgrade-controller "
							+ "(kubectl rollout restart -n cattle-system deploy/system-upgrade-controller) unsticks "
							+ "one whose jobs are done.",
					List.of(plan.ref()), details));
		}
		Map<String, KubeObject> logs = new HashMap<>();
		snapshot.objects(WatchedKind.UPGRADE_LOGS).forEach(l -> logs.put(l.name(), l));
		for (KubeObject chart : snapshot.objects(WatchedKind.MANAGED_CHARTS)) {
			String logName = chart.label(UPGRADE_LOG_LABEL).orElse(null);
			if (logName == null) {
				continue;
			}
			KubeObject log = logs.get(logName);
			String upgradeName = (log != null) ? log.string("spec.upgradeName").orElse(null) : null;
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("upgradeLog", logName);
			details.put("upgradeLogExists", log != null);
			details.put("upgrade", upgradeName);
			findings.add(Finding.of(DEFINITION, "upgrade-log-chart-left",
					"managed chart " + chart.ref().qualifiedName() + " of upgrade log " + logName
							+ " is left from an earlier upgrade",
					"Delete it before the next upgrade: kubectl delete managedcharts.management.cattle.io -n "
							+ chart.namespace() + " " + chart.name() + " (harvester/harvester#7560). Harvester "
							+ "removes it when the upgrade it collected logs for ends.",
					List.of(chart.ref()), details));
		}
		for (KubeObject log : snapshot.objects(WatchedKind.UPGRADE_LOGS)) {
			String upgradeName = log.string("spec.upgradeName").orElse(null);
			if (upgradeName != null && upgrades.containsKey(upgradeName)) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("upgrade", upgradeName);
			findings.add(Finding.of(DEFINITION, "upgrade-log-orphaned",
					"upgrade log " + log.ref().qualifiedName() + " outlives its upgrade "
							+ ((upgradeName != null) ? upgradeName : "(it names none in spec.upgradeName)"),
					"Download its logs if you still need them (the Harvester UI's upgrade dialog is gone with the "
							+ "upgrade, so read the log-archive volume), then delete it: kubectl delete "
							+ "upgradelogs.harvesterhci.io -n " + log.namespace() + " " + log.name()
							+ "; Harvester then removes its logging resources.",
					List.of(log.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

	private static List<String> strings(KubeObject object, String path) {
		return object.value(path).map(v -> {
			if (!(v instanceof List<?> list)) {
				throw new io.harvester.upgradereadiness.cluster.MalformedFieldException(object.ref(), path,
						"a list of node names", v);
			}
			return list.stream().map(String::valueOf).toList();
		}).orElse(List.of());
	}

}
