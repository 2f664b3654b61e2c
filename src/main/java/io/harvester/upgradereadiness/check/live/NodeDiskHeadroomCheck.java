package io.harvester.upgradereadiness.check.live;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import io.harvester.upgradereadiness.cluster.NodeDiskUsage;
import io.harvester.upgradereadiness.cluster.ProbeResult;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Every node must have room for the new release's images below the kubelet's image garbage-collection threshold
 * (Harvester webhook HV-13c, pre-check script UH-03): {@code (used + 13 GiB) / capacity} of the kubelet's root
 * filesystem must not exceed {@code imageGCHighThresholdPercent} (85 % when unset). Otherwise the kubelet deletes
 * images during the upgrade (harvester/harvester#4210).
 * <p>
 * Opt-in: the kubelet statistics come through the API server's node proxy, which needs RBAC on
 * {@code nodes/proxy}. The threshold is read from {@code /configz} under {@code kubeletconfig}; the reference notes
 * that Harvester's own code probably never finds it there and always uses 85.
 */
public final class NodeDiskHeadroomCheck implements Check {

	public static final String ID = "node-disk-headroom";

	/** Harvester's {@code defaultNewImageSize}: room the new release's images need. */
	static final long NEW_IMAGES_BYTES = 13L * 1024 * 1024 * 1024;

	/** Harvester's {@code defaultImageGCHighThresholdPercent}. */
	static final double DEFAULT_THRESHOLD_PERCENT = 85.0;

	static final CheckDefinition DEFINITION = new CheckDefinition(ID, "Nodes have room for the new images", "nodes",
			Severity.ERROR, true,
			"Every node's kubelet root filesystem (/usr/local on Harvester) must stay below the kubelet image "
					+ "garbage-collection threshold (imageGCHighThresholdPercent, default 85 %) after 13 GiB of new "
					+ "images are loaded. Opt-in: enable upgrade-readiness.checks.node-disk-headroom.enabled and grant "
					+ "get on nodes/proxy; read through the API server's node proxy every few minutes.",
			List.of(WatchedKind.NODES),
			"Upgrade webhook since v1.2.2 (HV-13c; skip with harvesterhci.io/skipGarbageCollectionThresholdCheck); "
					+ "upgrade-helpers pre-check (UH-03)",
			"v1.2.2");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		if (!context.options().isOptedIn(ID)) {
			return CheckOutcome.skipped("opt-in check not enabled: set upgrade-readiness.checks.node-disk-headroom"
					+ ".enabled=true and grant get on nodes/proxy");
		}
		if (context.options().skipGarbageCollectionThresholdCheck().value()) {
			return CheckOutcome.skipped(
					"switched off by " + context.options().skipGarbageCollectionThresholdCheck().setBy());
		}
		if (!context.live()) {
			return CheckOutcome.skipped("needs the kubelets' statistics, which a file snapshot does not hold");
		}
		Optional<ProbeResult<NodeDiskUsage>> probe = snapshot.nodeDiskUsage();
		if (probe.isEmpty()) {
			return CheckOutcome.unknown("the kubelets' statistics have not been read yet");
		}
		if (!probe.get().succeeded()) {
			return CheckOutcome.unknown("cannot read the kubelets' statistics: " + probe.get().error());
		}
		Map<String, KubeObject> nodes = new LinkedHashMap<>();
		snapshot.nodes().forEach(node -> nodes.put(node.name(), node));
		List<Finding> findings = new ArrayList<>();
		List<String> unreadable = new ArrayList<>();
		for (NodeDiskUsage.Node usage : probe.get().value().nodes()) {
			KubeObject node = nodes.get(usage.name());
			if (node == null) {
				continue;
			}
			if (usage.error() != null || usage.capacityBytes() == null || usage.capacityBytes() <= 0) {
				unreadable.add(usage.name() + " (" + (usage.error() != null ? usage.error() : "no capacity") + ")");
				continue;
			}
			double threshold = (usage.imageGcHighThresholdPercent() != null) ? usage.imageGcHighThresholdPercent()
					: DEFAULT_THRESHOLD_PERCENT;
			double percent = (usage.usedBytes() + NEW_IMAGES_BYTES) * 100.0 / usage.capacityBytes();
			if (percent > threshold) {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("usedBytes", usage.usedBytes());
				details.put("capacityBytes", usage.capacityBytes());
				details.put("newImagesBytes", NEW_IMAGES_BYTES);
				details.put("percentAfterImages", Math.round(percent * 100) / 100.0);
				details.put("thresholdPercent", threshold);
				findings.add(Finding.of(DEFINITION, "above-image-gc-threshold",
						String.format(Locale.ROOT,
								"Node \"%s\" will reach %.2f%% storage space after loading new images. It's higher "
										+ "than kubelet image garbage collection threshold %s%%.",
								usage.name(), percent, formatPercent(threshold)),
						"Free space on " + usage.name() + "'s /usr/local partition: remove unused images "
								+ "(crictl rmi --prune on the node) and old logs, then look again. Harvester's webhook "
								+ "refuses the upgrade until it fits.",
						List.of(node.ref()), details));
			}
		}
		if (!unreadable.isEmpty() && findings.isEmpty()) {
			return CheckOutcome.unknown("cannot read the kubelet statistics of " + String.join(", ", unreadable));
		}
		return CheckOutcome.of(findings);
	}

	private static String formatPercent(double value) {
		return (value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value);
	}

}
