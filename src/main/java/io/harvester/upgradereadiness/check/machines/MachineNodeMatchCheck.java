package io.harvester.upgradereadiness.check.machines;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Every Machine must correspond to a live Node and every Node to exactly one Machine.
 * <p>
 * Covers Harvester's strict matching (HV-15, added for harvester/harvester#8179 in v1.5.1: node labels and the
 * {@code cluster.x-k8s.io/machine} annotation against the Machine's {@code status.nodeRef}), and goes further:
 * Machines whose {@code spec.providerID} no Node carries (the v1.5.1-rc2 reproduction: {@code rke2://harv44}),
 * Running Machines whose Node is not ready or being deleted, providerIDs that differ between a Machine and its
 * Node (Harvester does not compare them), and Machines claiming the same Node or providerID. Every violation is its
 * own finding naming every object involved; Harvester stops at the first.
 */
public final class MachineNodeMatchCheck implements Check {

	static final String MANAGED_LABEL = "harvesterhci.io/managed";

	static final String MACHINE_ANNOTATION = "cluster.x-k8s.io/machine";

	static final String CLUSTER_NAMESPACE_ANNOTATION = "cluster.x-k8s.io/cluster-namespace";

	static final CheckDefinition DEFINITION = new CheckDefinition("machine-node-match", "Machines and Nodes match",
			"machines", Severity.ERROR, true,
			"Every Cluster API Machine must point at an existing Node (status.nodeRef, spec.providerID), a Running "
					+ "Machine's Node must be Ready, and every Node must be claimed by exactly one Machine, carry the "
					+ "label harvesterhci.io/managed=true and the annotation cluster.x-k8s.io/machine naming a Machine "
					+ "whose nodeRef points back at it.",
			List.of(WatchedKind.NODES, WatchedKind.MACHINES),
			"Upgrade webhook since v1.5.1 (HV-15, harvester/harvester#8179); machine count in upgrade-helpers (UH-09)",
			"v1.5.1");

	/** The rules, in the order findings are reported. */
	enum Rule {

		MACHINE_WITHOUT_NODE_REF("machine-without-node-ref"), NODE_REF_NOT_FOUND("node-ref-not-found"),
		PROVIDER_ID_WITHOUT_NODE("provider-id-without-node"), RUNNING_MACHINE_NODE_NOT_READY(
				"running-machine-node-not-ready"),
		PROVIDER_ID_MISMATCH("provider-id-mismatch"), NODE_WITHOUT_MACHINE("node-without-machine"),
		NODE_NOT_MANAGED("node-not-managed"), NODE_WITHOUT_MACHINE_ANNOTATION("node-without-machine-annotation"),
		NODE_ANNOTATION_MACHINE_NOT_FOUND("node-annotation-machine-not-found"), NODE_ANNOTATION_MACHINE_MISMATCH(
				"node-annotation-machine-mismatch"),
		DUPLICATE_NODE_CLAIM("duplicate-node-claim"), DUPLICATE_PROVIDER_ID("duplicate-provider-id");

		final String id;

		Rule(String id) {
			this.id = id;
		}

	}

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		return new Evaluation(snapshot).run();
	}

	/** One evaluation: the indexes over one snapshot and the findings collected from it. */
	private static final class Evaluation {

		private final List<KubeObject> nodes;

		private final List<KubeObject> machines;

		private final Map<String, KubeObject> nodesByName = new HashMap<>();

		private final Map<String, List<KubeObject>> nodesByProviderId = new HashMap<>();

		private final Map<String, List<KubeObject>> machinesByNodeRef = new LinkedHashMap<>();

		private final Map<String, List<KubeObject>> machinesByProviderId = new LinkedHashMap<>();

		private final Map<String, List<KubeObject>> machinesByName = new HashMap<>();

		private final List<RuleFinding> findings = new ArrayList<>();

		Evaluation(ClusterSnapshot snapshot) {
			this.nodes = snapshot.nodes();
			this.machines = snapshot.machines();
			for (KubeObject node : this.nodes) {
				this.nodesByName.put(node.name(), node);
				node.string("spec.providerID")
					.ifPresent(id -> this.nodesByProviderId.computeIfAbsent(id, k -> new ArrayList<>()).add(node));
			}
			for (KubeObject machine : this.machines) {
				machine.string("status.nodeRef.name")
					.ifPresent(n -> this.machinesByNodeRef.computeIfAbsent(n, k -> new ArrayList<>()).add(machine));
				machine.string("spec.providerID")
					.ifPresent(id -> this.machinesByProviderId.computeIfAbsent(id, k -> new ArrayList<>()).add(machine));
				this.machinesByName.computeIfAbsent(machine.name(), k -> new ArrayList<>()).add(machine);
			}
		}

		CheckOutcome run() {
			this.machines.forEach(this::checkMachine);
			this.nodes.forEach(this::checkNode);
			checkDuplicates();
			this.findings.sort(Comparator.comparing((RuleFinding f) -> f.rule().ordinal())
				.thenComparing(f -> f.finding().resources().get(0), ResourceRef.ORDER));
			return CheckOutcome.of(this.findings.stream().map(RuleFinding::finding).toList());
		}

		private void checkMachine(KubeObject machine) {
			String machineName = machine.ref().qualifiedName();
			Optional<String> nodeRef = machine.string("status.nodeRef.name");
			Optional<String> providerId = machine.string("spec.providerID");
			if (nodeRef.isEmpty()) {
				add(Rule.MACHINE_WITHOUT_NODE_REF,
						"machine " + machineName + " has empty NodeRef, check the cluster provision",
						"The machine never got a node. If it is left over (its node was removed or never joined), "
								+ "delete it: kubectl delete machines.cluster.x-k8s.io -n " + machine.namespace() + " "
								+ machine.name() + ". Otherwise find out why its node did not join: "
								+ "kubectl get machines -A -o wide; kubectl get nodes.",
						List.of(machine.ref()), Map.of("providerID", providerId.orElse("")));
			}
			else if (!this.nodesByName.containsKey(nodeRef.get())) {
				add(Rule.NODE_REF_NOT_FOUND,
						"machine " + machineName + " refers to node " + nodeRef.get() + ", but the node does not exist",
						"The machine's node is gone. If the node was removed on purpose, delete the machine: "
								+ "kubectl delete machines.cluster.x-k8s.io -n " + machine.namespace() + " "
								+ machine.name() + ". Otherwise bring the node back and let it rejoin.",
						List.of(machine.ref(), nodeRef(nodeRef.get())), Map.of("nodeRef", nodeRef.get()));
			}
			if (providerId.isPresent() && !this.nodesByProviderId.containsKey(providerId.get())) {
				add(Rule.PROVIDER_ID_WITHOUT_NODE,
						"machine " + machineName + " has providerID " + providerId.get() + ", but no node carries it",
						"No node has spec.providerID " + providerId.get() + ". Compare kubectl get machines -A -o wide "
								+ "with kubectl get nodes -o custom-columns=NAME:.metadata.name,PROVIDER:.spec.providerID; "
								+ "delete the machine if its node no longer exists.",
						List.of(machine.ref()), Map.of("providerID", providerId.get()));
			}
			KubeObject node = nodeRef.map(this.nodesByName::get).orElse(null);
			if (node == null) {
				return;
			}
			String phase = machine.string("status.phase").orElse(null);
			if ("Running".equals(phase)) {
				Nodes.notReadyReason(node).ifPresent(reason -> add(Rule.RUNNING_MACHINE_NODE_NOT_READY,
						"machine " + machineName + " is Running, but its node " + node.name() + " " + reason,
						"Bring node " + node.name() + " back to Ready (kubectl describe node " + node.name()
								+ "; check rke2-server or rke2-agent on the host) before upgrading.",
						List.of(machine.ref(), node.ref()), Map.of("node", node.name(), "reason", reason)));
			}
			Optional<String> nodeProviderId = node.string("spec.providerID");
			if (providerId.isPresent() && !providerId.equals(nodeProviderId)) {
				add(Rule.PROVIDER_ID_MISMATCH,
						"machine " + machineName + " has providerID " + providerId.get() + ", but its node "
								+ node.name() + " has " + nodeProviderId.map(id -> "providerID " + id).orElse("none"),
						"The machine and its node disagree on the provider ID, so the machine may be linked to the "
								+ "wrong node. Check both: kubectl get machines -A -o wide; kubectl get node "
								+ node.name() + " -o jsonpath='{.spec.providerID}'.",
						List.of(machine.ref(), node.ref()),
						details("machineProviderID", providerId.get(), "nodeProviderID", nodeProviderId.orElse(null)));
			}
		}

		private void checkNode(KubeObject node) {
			String name = node.name();
			if (!this.machinesByNodeRef.containsKey(name)) {
				add(Rule.NODE_WITHOUT_MACHINE, "node " + name + " is not referenced by any machine",
						"No machine's status.nodeRef names this node, so the upgrade would hang at \"Waiting for plan\" "
								+ "(harvester/harvester#8179). The node was installed but its machine was never "
								+ "created; see the Harvester knowledge base for re-creating it, or remove and "
								+ "re-join the node.",
						List.of(node.ref()), Map.of());
			}
			Optional<String> managed = node.label(MANAGED_LABEL);
			if (managed.isEmpty() || !"true".equals(managed.get())) {
				add(Rule.NODE_NOT_MANAGED,
						managed.isEmpty() ? "node " + name + " has no expected label " + MANAGED_LABEL
								: "node " + name + " has label " + MANAGED_LABEL + "=" + managed.get() + ", expected true",
						"Harvester labels the nodes it provisioned " + MANAGED_LABEL + "=true; a node without it was "
								+ "not fully provisioned. Check the node's promotion and its machine before "
								+ "upgrading.",
						List.of(node.ref()), details("label", managed.orElse(null)));
			}
			Optional<String> annotated = node.annotation(MACHINE_ANNOTATION);
			if (annotated.isEmpty()) {
				add(Rule.NODE_WITHOUT_MACHINE_ANNOTATION,
						"node " + name + " has no expected annotation " + MACHINE_ANNOTATION
								+ ", check the cluster provision",
						"The node does not name its machine. Check the node's provisioning with kubectl get "
								+ "machines -A -o wide and kubectl describe node " + name + ".",
						List.of(node.ref()), Map.of());
				return;
			}
			Optional<KubeObject> machine = annotatedMachine(node, annotated.get());
			if (machine.isEmpty()) {
				add(Rule.NODE_ANNOTATION_MACHINE_NOT_FOUND,
						"node " + name + " refers to machine " + annotated.get() + ", but the machine does not exist",
						"The machine this node names is gone. Check kubectl get machines -A -o wide; the node may "
								+ "need to be removed and re-joined so that a machine is created for it.",
						List.of(node.ref(), new ResourceRef(WatchedKind.MACHINES.defaultApiVersion(),
								WatchedKind.MACHINES.kind(), node.annotation(CLUSTER_NAMESPACE_ANNOTATION).orElse(null),
								annotated.get())),
						Map.of("machine", annotated.get()));
				return;
			}
			Optional<String> backRef = machine.get().string("status.nodeRef.name");
			if (!backRef.equals(Optional.of(name))) {
				add(Rule.NODE_ANNOTATION_MACHINE_MISMATCH,
						"node " + name + " refers to machine " + annotated.get() + ", but the machine refers to "
								+ backRef.map(other -> "another node " + other).orElse("no node"),
						"The node and the machine point at different objects. Compare kubectl get machines -A -o wide "
								+ "with the node's annotation " + MACHINE_ANNOTATION + ".",
						List.of(node.ref(), machine.get().ref()),
						details("machine", annotated.get(), "machineNodeRef", backRef.orElse(null)));
			}
		}

		private void checkDuplicates() {
			this.machinesByNodeRef.forEach((nodeName, claimants) -> {
				if (claimants.size() > 1) {
					List<ResourceRef> resources = new ArrayList<>(refs(claimants));
					KubeObject node = this.nodesByName.get(nodeName);
					resources.add((node != null) ? node.ref() : nodeRef(nodeName));
					add(Rule.DUPLICATE_NODE_CLAIM,
							"machines " + names(claimants) + " all claim node " + nodeName,
							"Only one machine may own a node. Delete the stale machine(s) after checking which one "
									+ "the node's annotation " + MACHINE_ANNOTATION + " names.",
							resources, Map.of("node", nodeName, "machines", names(claimants)));
				}
			});
			this.machinesByProviderId.forEach((providerId, claimants) -> {
				if (claimants.size() > 1) {
					add(Rule.DUPLICATE_PROVIDER_ID,
							"machines " + names(claimants) + " all have providerID " + providerId,
							"Only one machine may carry a provider ID. Delete the stale machine(s).",
							refs(claimants), Map.of("providerID", providerId, "machines", names(claimants)));
				}
			});
		}

		/** The machine a node's annotation names: in the node's cluster namespace if it says, else by name. */
		private Optional<KubeObject> annotatedMachine(KubeObject node, String machineName) {
			List<KubeObject> candidates = this.machinesByName.getOrDefault(machineName, List.of());
			Optional<String> namespace = node.annotation(CLUSTER_NAMESPACE_ANNOTATION);
			if (namespace.isPresent()) {
				return candidates.stream().filter(m -> namespace.get().equals(m.namespace())).findFirst();
			}
			return candidates.stream().findFirst();
		}

		private void add(Rule rule, String message, String remediation, List<ResourceRef> resources,
				Map<String, Object> details) {
			Map<String, Object> withCounts = new LinkedHashMap<>(details);
			withCounts.put("nodes", this.nodes.size());
			withCounts.put("machines", this.machines.size());
			this.findings.add(new RuleFinding(rule,
					Finding.of(DEFINITION, rule.id, message, remediation, resources, withCounts)));
		}

	}

	private static ResourceRef nodeRef(String name) {
		return new ResourceRef("v1", "Node", null, name);
	}

	private static List<ResourceRef> refs(List<KubeObject> objects) {
		return objects.stream().map(KubeObject::ref).sorted(ResourceRef.ORDER).toList();
	}

	private static String names(List<KubeObject> objects) {
		return String.join(", ", refs(objects).stream().map(ResourceRef::qualifiedName).toList());
	}

	private static Map<String, Object> details(String k1, Object v1, String k2, Object v2) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put(k1, v1);
		details.put(k2, v2);
		return details;
	}

	private static Map<String, Object> details(String k1, Object v1) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put(k1, v1);
		return details;
	}

	private record RuleFinding(Rule rule, Finding finding) {
	}

}
