package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Every node named in the {@code upgrade-config} setting's {@code nodeUpgradeOption.strategy.pauseNodes} must
 * exist. The operator lists the nodes the upgrade must stop at before draining them (manual mode). Harvester's
 * Upgrade webhook refuses a pause map naming a node that does not exist (HV-06, {@code node %s does not exist},
 * since v1.7.0) and the Upgrade Manager refuses such a {@code pauseNodes} entry (UT-P); but the Upgrade mutator that
 * builds the pause map from this setting silently drops unknown names, so a node renamed or replaced since the
 * setting was written is simply not paused. Reported whatever the mode, as the Upgrade Manager does.
 * <p>
 * An upgrade-config that is not JSON is reported by {@code vms-live-migratable}; here it makes the check an
 * {@code ERROR} naming the setting, as nothing can be said about its pause nodes.
 */
public final class PauseNodesExistCheck implements Check {

	static final String PATH = "nodeUpgradeOption.strategy.pauseNodes";

	static final CheckDefinition DEFINITION = new CheckDefinition("pause-nodes-exist", "Pause nodes exist",
			"platform", Severity.ERROR, true,
			"Every node named in the upgrade-config setting's nodeUpgradeOption.strategy.pauseNodes (the nodes the "
					+ "upgrade pauses at in manual mode) must be an existing Node.",
			List.of(WatchedKind.SETTINGS, WatchedKind.NODES),
			"Upgrade webhook since v1.7.0 (HV-06, on the harvesterhci.io/node-upgrade-pause-map annotation the "
					+ "mutator builds from this setting, dropping unknown nodes); Setting webhook on write (nodes not "
					+ "found); Upgrade Manager (upgrade-toolkit) UpgradePlan webhook (UT-P)",
			"v1.7.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Optional<KubeObject> setting = Settings.find(snapshot, Settings.UPGRADE_CONFIG);
		Optional<String> value = Settings.effective(snapshot, Settings.UPGRADE_CONFIG);
		if (setting.isEmpty() || value.isEmpty()) {
			return CheckOutcome.pass();
		}
		String field = setting.get().string("value").isPresent() ? "value" : "default";
		JsonNode config;
		try {
			config = Settings.JSON.readTree(value.get());
		}
		catch (JacksonException ex) {
			throw new MalformedFieldException(setting.get().ref(), field, "upgrade-config JSON", value.get());
		}
		JsonNode strategy = (config == null) ? null : config.path("nodeUpgradeOption").path("strategy");
		JsonNode pauseNodes = (strategy == null) ? null : strategy.get("pauseNodes");
		if (pauseNodes == null || pauseNodes.isNull()) {
			return CheckOutcome.pass();
		}
		if (!pauseNodes.isArray()) {
			throw new MalformedFieldException(setting.get().ref(), field + " " + PATH, "a list of node names",
					Settings.JSON.convertValue(pauseNodes, Object.class));
		}
		Set<String> existing = new HashSet<>();
		snapshot.nodes().forEach(n -> existing.add(n.name()));
		String mode = strategy.path("mode").isString() ? strategy.path("mode").stringValue() : null;
		List<Finding> findings = new ArrayList<>();
		for (JsonNode entry : pauseNodes) {
			if (!entry.isString()) {
				throw new MalformedFieldException(setting.get().ref(), field + " " + PATH + "[]", "a node name",
						Settings.JSON.convertValue(entry, Object.class));
			}
			String node = entry.stringValue();
			if (existing.contains(node)) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("pauseNodes", Settings.JSON.convertValue(pauseNodes, List.class));
			details.put("mode", mode);
			details.put("nodes", existing.stream().sorted().toList());
			findings.add(Finding.of(DEFINITION, "pause-node-not-found",
					"node " + node + " does not exist: the " + Settings.UPGRADE_CONFIG + " setting names it in "
							+ PATH,
					"Remove " + node + " from " + PATH + " or correct its name (Advanced > Settings > "
							+ "upgrade-config in the Harvester UI, or kubectl edit settings.harvesterhci.io "
							+ Settings.UPGRADE_CONFIG + "); otherwise the upgrade will not pause where you meant it "
							+ "to. The existing nodes: kubectl get nodes.",
					List.of(setting.get().ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
