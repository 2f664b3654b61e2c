package io.harvester.upgradereadiness.check.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * A Harvester cluster has at most one witness node, and that node carries the taint
 * {@code node-role.kubernetes.io/etcd=true:NoExecute} that keeps workloads off it (pre-check script, UH-06).
 * <p>
 * A witness node only runs etcd to give a two-node cluster a quorum; without the taint, workloads and upgrade jobs
 * may land on a machine sized for neither. The script, and so this check, counts a node as a witness when the label
 * {@code node-role.harvesterhci.io/witness} is {@code "true"}; the webhook's VM checks (HV-17) look at the label key
 * only, see {@link Nodes#isWitness}. The webhook does not check witness nodes at all.
 */
public final class WitnessNodeCheck implements Check {

	static final String ETCD_TAINT_KEY = "node-role.kubernetes.io/etcd";

	static final String ETCD_TAINT_VALUE = "true";

	static final String ETCD_TAINT_EFFECT = "NoExecute";

	static final CheckDefinition DEFINITION = new CheckDefinition("witness-node", "At most one tainted witness node",
			"nodes", Severity.ERROR, true,
			"At most one Node may carry the label node-role.harvesterhci.io/witness=true, and a witness node must "
					+ "carry the taint node-role.kubernetes.io/etcd=true:NoExecute.",
			List.of(WatchedKind.NODES), "Not checked by the Upgrade webhook; upgrade-helpers pre-check (UH-06)", null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<KubeObject> witnesses = snapshot.nodes().stream().filter(WitnessNodeCheck::isWitness).toList();
		List<Finding> findings = new ArrayList<>();
		if (witnesses.size() > 1) {
			List<String> names = witnesses.stream().map(KubeObject::name).toList();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("witnessNodes", names.size());
			details.put("nodes", String.join(", ", names));
			findings.add(Finding.of(DEFINITION, "more-than-one-witness",
					"There are more than 1 witness node. Must have at most 1.",
					"A cluster has a single witness node (" + String.join(", ", names) + " all carry "
							+ Nodes.WITNESS_LABEL + "=true). Check which one was installed with the witness role "
							+ "(kubectl get nodes -L " + Nodes.WITNESS_LABEL + ") and remove the label or the extra "
							+ "node from the others before upgrading.",
					witnesses.stream().map(KubeObject::ref).toList(), details));
		}
		for (KubeObject witness : witnesses) {
			if (hasEtcdTaint(witness)) {
				continue;
			}
			List<String> taints = taints(witness);
			String name = witness.name();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("taints", taints.isEmpty() ? "none" : String.join(", ", taints));
			findings.add(Finding.of(DEFINITION, "witness-without-etcd-taint",
					"Witness node " + name + " does NOT have the etcd:NoExecute taint.",
					"Taint the witness node so that only etcd runs there: kubectl taint node " + name + " "
							+ ETCD_TAINT_KEY + "=" + ETCD_TAINT_VALUE + ":" + ETCD_TAINT_EFFECT + ".",
					List.of(witness.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

	static boolean isWitness(KubeObject node) {
		return "true".equals(node.labels().get(Nodes.WITNESS_LABEL));
	}

	static boolean hasEtcdTaint(KubeObject node) {
		return node.objects("spec.taints")
			.stream()
			.anyMatch(taint -> ETCD_TAINT_KEY.equals(taint.get("key"))
					&& ETCD_TAINT_VALUE.equals(String.valueOf(taint.get("value")))
					&& ETCD_TAINT_EFFECT.equals(taint.get("effect")));
	}

	/** The node's taints as {@code key=value:effect}, for the details. */
	private static List<String> taints(KubeObject node) {
		return node.objects("spec.taints").stream().map(taint -> {
			Object value = taint.get("value");
			return taint.get("key") + ((value != null) ? "=" + value : "") + ":" + taint.get("effect");
		}).toList();
	}

}
