package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * No Longhorn node or disk may have an eviction requested (UH-06b, harvester/harvester#7717).
 * <p>
 * Reads Longhorn's own Node ({@code nodes.longhorn.io}), not the core one: {@code spec.evictionRequested} and
 * {@code spec.disks.<disk>.evictionRequested}. With Longhorn v1.7 (Harvester v1.4.x) a pending eviction request
 * crashed longhorn-manager during the upgrade (longhorn/longhorn#10464), so the pre-check script refuses to go on
 * when upgrading from v1.4.x. We check it on every version: an eviction moves replicas off the node or disk while
 * the upgrade drains nodes one by one, and a forgotten request keeps the node's disks out of scheduling, which
 * leaves fewer places for the replicas the upgrade needs to rebuild. Disks are read from the map itself, not by a
 * dotted path, so disk names containing dots are read correctly.
 */
public final class LonghornEvictionRequestedCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("longhorn-eviction-requested",
			"No Longhorn eviction requested", "storage", Severity.ERROR, true,
			"No Longhorn node (nodes.longhorn.io, Longhorn's Node, not the core one) may have spec.evictionRequested "
					+ "true, and none of its disks spec.disks.<disk>.evictionRequested true.",
			List.of(WatchedKind.LONGHORN_NODES),
			"upgrade-helpers pre-check, only when upgrading from v1.4.x (UH-06b, harvester/harvester#7717, "
					+ "longhorn/longhorn#10464); not in the Upgrade webhook",
			null);

	private static final String SUFFIX = " Please resolve this before upgrading.";

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject node : snapshot.objects(WatchedKind.LONGHORN_NODES)) {
			if (node.bool("spec.evictionRequested").orElse(false)) {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("node", node.name());
				details.put("allowScheduling", node.bool("spec.allowScheduling").orElse(null));
				findings.add(Finding.of(DEFINITION, "node-eviction-requested",
						"Longhorn node " + node.name() + " has evictionRequested set to true." + SUFFIX,
						"Let the eviction finish (no replica left on the node: kubectl -n " + node.namespace()
								+ " get replicas.longhorn.io -l longhornnode=" + node.name() + "), then clear the "
								+ "request: Longhorn UI > Node > Edit Node > Eviction Requested: false, or kubectl -n "
								+ node.namespace() + " patch nodes.longhorn.io " + node.name()
								+ " --type merge -p '{\"spec\":{\"evictionRequested\":false}}'.",
						List.of(node.ref()), details));
			}
			for (Map.Entry<String, Object> disk : new TreeMap<>(node.map("spec.disks")).entrySet()) {
				String path = "spec.disks." + disk.getKey();
				if (!(disk.getValue() instanceof Map<?, ?> spec)) {
					throw new MalformedFieldException(node.ref(), path, "an object", disk.getValue());
				}
				if (!LonghornVolumes.bool(node, path + ".evictionRequested", spec.get("evictionRequested"))
					.orElse(false)) {
					continue;
				}
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("node", node.name());
				details.put("disk", disk.getKey());
				details.put("path", (spec.get("path") != null) ? String.valueOf(spec.get("path")) : null);
				findings.add(Finding.of(DEFINITION, "disk-eviction-requested",
						"Disk " + disk.getKey() + " of Longhorn node " + node.name()
								+ " has evictionRequested set to true." + SUFFIX,
						"Let the eviction finish (no replica left on the disk: kubectl -n " + node.namespace()
								+ " get nodes.longhorn.io " + node.name() + " -o jsonpath='{.status.diskStatus."
								+ disk.getKey() + ".scheduledReplica}'), then clear the request: Longhorn UI > Node > "
								+ "Edit Node and Disks, or kubectl -n " + node.namespace() + " patch nodes.longhorn.io "
								+ node.name() + " --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/disks/"
								+ disk.getKey() + "/evictionRequested\",\"value\":false}]'.",
						List.of(node.ref()), details));
			}
		}
		return CheckOutcome.of(findings);
	}

}
