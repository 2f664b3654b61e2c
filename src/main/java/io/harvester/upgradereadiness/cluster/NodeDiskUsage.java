package io.harvester.upgradereadiness.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The kubelets' root filesystem usage, read through the API server's node proxy ({@code nodes/proxy}): what
 * Harvester's webhook reads from each kubelet before an upgrade (HV-13c, UH-03).
 *
 * @param collectedAt when the last round of collection finished
 * @param nodes one entry per node
 */
public record NodeDiskUsage(Instant collectedAt, List<Node> nodes) {

	public NodeDiskUsage {
		nodes = List.copyOf(nodes);
	}

	/**
	 * One node's root filesystem ({@code node.fs} of {@code /stats/summary}; on Harvester the partition mounted at
	 * {@code /usr/local}).
	 *
	 * @param name the node
	 * @param usedBytes bytes used, {@code null} when unreadable
	 * @param capacityBytes capacity in bytes, {@code null} when unreadable
	 * @param imageGcHighThresholdPercent the kubelet's {@code imageGCHighThresholdPercent} from {@code /configz},
	 * {@code null} when not set or unreadable
	 * @param error why the node could not be read, {@code null} when it was
	 */
	public record Node(String name, Long usedBytes, Long capacityBytes, Double imageGcHighThresholdPercent,
			String error) {
	}

}
