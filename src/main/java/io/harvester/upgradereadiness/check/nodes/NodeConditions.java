package io.harvester.upgradereadiness.check.nodes;

import java.util.Optional;

import io.harvester.upgradereadiness.cluster.KubeObject;

/** Reading the kubelet's conditions on a core Node ({@code status.conditions}). */
final class NodeConditions {

	static final String CONDITIONS = "status.conditions";

	static final String READY = "Ready";

	private NodeConditions() {
	}

	static Optional<KubeObject.Condition> find(KubeObject node, String type) {
		return node.condition(CONDITIONS, type);
	}

	/** {@code Ready=False (KubeletNotReady: ...)}, or what is missing when the condition has no status. */
	static String describe(KubeObject.Condition condition) {
		return (condition.status() != null) ? condition.describe() : condition.type() + " condition has no status";
	}

}
