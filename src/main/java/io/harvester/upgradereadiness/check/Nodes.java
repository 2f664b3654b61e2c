package io.harvester.upgradereadiness.check;

import java.util.List;
import java.util.Optional;

import io.harvester.upgradereadiness.cluster.KubeObject;

/** Facts about core Nodes that several checks share. */
public final class Nodes {

	/** Harvester's witness nodes carry this label key (the value is not inspected, as in Harvester). */
	public static final String WITNESS_LABEL = "node-role.harvesterhci.io/witness";

	private Nodes() {
	}

	public static boolean isWitness(KubeObject node) {
		return node.labels().containsKey(WITNESS_LABEL);
	}

	public static List<KubeObject> nonWitness(List<KubeObject> nodes) {
		return nodes.stream().filter(n -> !isWitness(n)).toList();
	}

	/**
	 * Why a node does not count as live: not Ready, no Ready condition, or being deleted; empty when it is live.
	 */
	public static Optional<String> notReadyReason(KubeObject node) {
		if (node.isBeingDeleted()) {
			return Optional.of("is being deleted");
		}
		Optional<KubeObject.Condition> ready = node.condition("status.conditions", "Ready");
		if (ready.isEmpty()) {
			return Optional.of("has no Ready condition");
		}
		return ready.get().isTrue() ? Optional.empty() : Optional.of("is not ready: " + ready.get().describe());
	}

	public static boolean isUnschedulable(KubeObject node) {
		return node.bool("spec.unschedulable").orElse(false);
	}

}
