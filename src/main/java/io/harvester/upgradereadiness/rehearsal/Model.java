package io.harvester.upgradereadiness.rehearsal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.PodRequests;
import io.harvester.upgradereadiness.cluster.PodScheduling;
import io.harvester.upgradereadiness.cluster.Projection;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.rehearsal.Selectors.PodTerm;
import io.harvester.upgradereadiness.rehearsal.Selectors.Taint;
import io.harvester.upgradereadiness.rehearsal.Selectors.Term;
import io.harvester.upgradereadiness.rehearsal.Selectors.Toleration;

/**
 * The cluster as the scheduler sees it before the upgrade: every node's allocatable and requested amounts per
 * resource (indexed: cpu, memory, pods, then every other resource a VM asks for), and every running VM with its
 * launcher pod's request and scheduling constraints. VMs are kept apart from the other pods, as they move.
 */
final class Model {

	static final String CPU = "cpu";

	static final String MEMORY = "memory";

	static final String PODS = "pods";

	static final int CPU_INDEX = 0;

	static final int MEMORY_INDEX = 1;

	static final int PODS_INDEX = 2;

	static final String LAUNCHER_VM_LABEL = "vm.kubevirt.io/name";

	static final String HARVESTER_VM_LABEL = "harvesterhci.io/vmName";

	static final String SCHEDULABLE_LABEL = "kubevirt.io/schedulable";

	static final String CPU_MODEL_PREFIX = "cpu-model.node.kubevirt.io/";

	static final String HOST_MODEL_PREFIX = "host-model-cpu.node.kubevirt.io/";

	static final String MIGRATION_MODEL_PREFIX = "cpu-model-migration.node.kubevirt.io/";

	static final String REQUIRED_FEATURE_PREFIX = "host-model-required-features.node.kubevirt.io/";

	static final String CPU_FEATURE_PREFIX = "cpu-feature.node.kubevirt.io/";

	static final String CPU_VENDOR_PREFIX = "cpu-vendor.node.kubevirt.io/";

	private static final String AFFINITY = "affinity";

	private static final String REQUIRED_NODE_AFFINITY = "nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";

	final List<String> resources;

	final Node[] nodes;

	final Map<String, Integer> nodeIndex;

	/** [resource][node]: what the node can give. */
	final long[][] allocatable;

	/** [resource][node]: what its pods other than the running VMs' launcher pods request. */
	final long[][] base;

	/** Running VMs in creation order (the order KubeVirt's evacuation is assumed to follow). */
	final List<Vm> vms;

	/** Pods other than the VMs' that carry labels or required anti-affinity the scheduler weighs, per node. */
	final List<List<Resident>> staticPods;

	/** Facts about the input worth telling (nodes without allocatable, estimated requests). */
	final List<String> notes;

	private Model(List<String> resources, Node[] nodes, Map<String, Integer> nodeIndex, long[][] allocatable,
			long[][] base, List<Vm> vms, List<List<Resident>> staticPods, List<String> notes) {
		this.resources = resources;
		this.nodes = nodes;
		this.nodeIndex = nodeIndex;
		this.allocatable = allocatable;
		this.base = base;
		this.vms = vms;
		this.staticPods = staticPods;
		this.notes = notes;
	}

	/** A node as the filters read it. */
	record Node(int index, String name, KubeObject object, Map<String, String> labels, List<Taint> taints,
			String notReady, boolean unschedulable, boolean witness, boolean hasAllocatable) {
	}

	/** A pod the pod (anti-)affinity filter weighs: its namespace, labels and required anti-affinity terms. */
	record Resident(String namespace, Map<String, String> labels, List<PodTerm> antiAffinity) {
	}

	/** One running VM and what its migration target pod asks for. */
	static final class Vm {

		final int index;

		final KubeObject vmi;

		/** Its VirtualMachine, {@code null} when there is none in the snapshot. */
		final KubeObject vm;

		final String key;

		final int origin;

		final long[] requests;

		/** Indices of the resources it requests (pods always). */
		final int[] requested;

		final boolean estimated;

		final Resident resident;

		final Map<String, String> nodeSelector;

		/** Required node affinity terms, {@code null} when it has none. */
		final List<Term> affinity;

		final List<Toleration> tolerations;

		/** Whether its CPU is host-model (no model named): the target node must offer the source's host model. */
		final boolean hostModel;

		final String creationTimestamp;

		Vm(int index, KubeObject vmi, KubeObject vm, int origin, long[] requests, boolean estimated, Resident resident,
				Map<String, String> nodeSelector, List<Term> affinity, List<Toleration> tolerations, boolean hostModel,
				String creationTimestamp) {
			this.index = index;
			this.vmi = vmi;
			this.vm = vm;
			this.key = vmi.namespace() + "/" + vmi.name();
			this.origin = origin;
			this.requests = requests;
			int count = 0;
			for (long r : requests) {
				count += (r > 0) ? 1 : 0;
			}
			this.requested = new int[count];
			int i = 0;
			for (int r = 0; r < requests.length; r++) {
				if (requests[r] > 0) {
					this.requested[i++] = r;
				}
			}
			this.estimated = estimated;
			this.resident = resident;
			this.nodeSelector = nodeSelector;
			this.affinity = affinity;
			this.tolerations = tolerations;
			this.hostModel = hostModel;
			this.creationTimestamp = creationTimestamp;
		}

	}

	static Model of(ClusterSnapshot snapshot, RehearsalInput input) {
		List<String> notes = new ArrayList<>();
		List<KubeObject> nodeObjects = snapshot.nodes();
		Node[] nodes = new Node[nodeObjects.size()];
		Map<String, Integer> nodeIndex = new HashMap<>();
		for (int i = 0; i < nodes.length; i++) {
			KubeObject node = nodeObjects.get(i);
			nodes[i] = new Node(i, node.name(), node, node.labels(),
					Selectors.taints(node.ref(), node.value("spec.taints").orElse(null), "spec.taints"),
					Nodes.notReadyReason(node).orElse(null), Nodes.isUnschedulable(node), Nodes.isWitness(node),
					node.value("status.allocatable").isPresent());
			nodeIndex.put(node.name(), i);
		}
		Map<String, KubeObject> running = new HashMap<>();
		for (KubeObject vmi : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES)) {
			String node = vmi.string("status.nodeName").orElse(null);
			if ("Running".equals(vmi.string("status.phase").orElse(null)) && node != null
					&& nodeIndex.containsKey(node) && !vmi.isBeingDeleted()) {
				running.put(vmi.namespace() + "/" + vmi.name(), vmi);
			}
		}
		// The resources: cpu, memory, pods, then whatever launcher pods ask for, by name.
		Map<KubeObject, KubeObject> launchers = new HashMap<>();
		List<KubeObject> otherPods = new ArrayList<>();
		TreeSet<String> extra = new TreeSet<>();
		for (KubeObject pod : snapshot.objects(WatchedKind.PODS)) {
			String phase = pod.string("status.phase").orElse("");
			String node = pod.string("spec.nodeName").orElse(null);
			if (phase.equals("Succeeded") || phase.equals("Failed") || node == null || !nodeIndex.containsKey(node)) {
				continue;
			}
			KubeObject vmi = launcherOf(pod, running);
			if (vmi != null && node.equals(vmi.string("status.nodeName").orElse(null)) && !launchers.containsKey(vmi)
					&& !pod.isBeingDeleted()) {
				launchers.put(vmi, pod);
				requests(pod).keySet().stream().filter(r -> !r.equals(CPU) && !r.equals(MEMORY)).forEach(extra::add);
			}
			else {
				otherPods.add(pod);
			}
		}
		for (KubeObject vmi : running.values()) {
			if (!launchers.containsKey(vmi)) {
				LauncherEstimate.extendedResources(vmi).keySet().forEach(extra::add);
			}
		}
		extra.remove(PODS);
		List<String> resources = new ArrayList<>(List.of(CPU, MEMORY, PODS));
		resources.addAll(extra);
		Map<String, Integer> resourceIndex = new HashMap<>();
		for (int r = 0; r < resources.size(); r++) {
			resourceIndex.put(resources.get(r), r);
		}
		long[][] allocatable = new long[resources.size()][nodes.length];
		long[][] base = new long[resources.size()][nodes.length];
		List<String> withoutAllocatable = new ArrayList<>();
		for (Node node : nodes) {
			Map<String, Object> alloc = node.object().map("status.allocatable");
			if (!node.hasAllocatable()) {
				withoutAllocatable.add(node.name());
			}
			for (Map.Entry<String, Object> entry : alloc.entrySet()) {
				Integer r = resourceIndex.get(entry.getKey());
				if (r != null) {
					try {
						allocatable[r][node.index()] = PodRequests.amount(entry.getKey(), entry.getValue());
					}
					catch (IllegalArgumentException | ArithmeticException ex) {
						throw new MalformedFieldException(node.object().ref(), "status.allocatable." + entry.getKey(),
								"a quantity", entry.getValue());
					}
				}
			}
		}
		if (!withoutAllocatable.isEmpty()) {
			notes.add("Nodes without status.allocatable are taken to have no room: "
					+ String.join(", ", withoutAllocatable) + ".");
		}
		List<List<Resident>> staticPods = new ArrayList<>(nodes.length);
		for (int i = 0; i < nodes.length; i++) {
			staticPods.add(new ArrayList<>(0));
		}
		for (KubeObject pod : otherPods) {
			int n = nodeIndex.get(pod.string("spec.nodeName").orElseThrow());
			for (Map.Entry<String, Long> request : requests(pod).entrySet()) {
				Integer r = resourceIndex.get(request.getKey());
				if (r != null && r != PODS_INDEX) {
					base[r][n] += request.getValue();
				}
			}
			base[PODS_INDEX][n]++;
			Map<String, Object> constraints = constraints(pod);
			if (!constraints.isEmpty()) {
				List<PodTerm> anti = antiAffinity(pod, constraints);
				staticPods.get(n).add(new Resident(pod.namespace(), pod.labels(), anti));
			}
		}
		List<KubeObject> ordered = new ArrayList<>(running.values());
		ordered.sort(Comparator.comparing((KubeObject v) -> v.string(Projection.CREATION_TIMESTAMP).orElse("~"))
			.thenComparing(KubeObject::namespace)
			.thenComparing(KubeObject::name));
		Map<String, KubeObject> machines = new HashMap<>();
		if (snapshot.usable(WatchedKind.VIRTUAL_MACHINES)) {
			snapshot.objects(WatchedKind.VIRTUAL_MACHINES).forEach(v -> machines.put(v.namespace() + "/" + v.name(), v));
		}
		List<Vm> vms = new ArrayList<>(ordered.size());
		List<String> estimated = new ArrayList<>();
		for (KubeObject vmi : ordered) {
			Vm vm = vm(vms.size(), vmi, launchers.get(vmi), machines, nodeIndex, resourceIndex, resources.size(), snapshot,
					input);
			if (vm.estimated) {
				estimated.add(vm.key);
			}
			vms.add(vm);
		}
		if (!estimated.isEmpty()) {
			notes.add("No running virt-launcher pod was found for " + estimated.size() + " VM(s); their requests are "
					+ "estimated with KubeVirt's formula: " + String.join(", ", estimated.subList(0,
							Math.min(10, estimated.size())))
					+ (estimated.size() > 10 ? ", …" : "") + ".");
		}
		return new Model(List.copyOf(resources), nodes, nodeIndex, allocatable, base, vms, staticPods,
				List.copyOf(notes));
	}

	private static Vm vm(int index, KubeObject vmi, KubeObject pod, Map<String, KubeObject> machines,
			Map<String, Integer> nodeIndex,
			Map<String, Integer> resourceIndex, int resourceCount, ClusterSnapshot snapshot, RehearsalInput input) {
		int origin = nodeIndex.get(vmi.string("status.nodeName").orElseThrow());
		long[] requests = new long[resourceCount];
		Map<String, Long> amounts = (pod != null) ? requests(pod) : LauncherEstimate.estimate(vmi, snapshot, input);
		amounts.forEach((name, amount) -> {
			Integer r = resourceIndex.get(name);
			if (r != null && r != PODS_INDEX) {
				requests[r] = amount;
			}
		});
		requests[PODS_INDEX] = 1;
		Map<String, Object> constraints = (pod != null) ? constraints(pod) : Map.of();
		Map<String, String> nodeSelector = new LinkedHashMap<>();
		Object affinity;
		Object tolerations;
		Map<String, String> labels;
		if (pod != null) {
			nodeSelector.putAll(Selectors.stringMap(pod.ref(), constraints.get("nodeSelector"),
					"spec.nodeSelector"));
			affinity = constraints.get(AFFINITY);
			tolerations = constraints.get("tolerations");
			labels = pod.labels();
		}
		else {
			nodeSelector.put(SCHEDULABLE_LABEL, "true");
			affinity = vmi.value("spec.affinity").orElse(null);
			tolerations = vmi.value("spec.tolerations").orElse(null);
			labels = new LinkedHashMap<>(vmi.labels());
			labels.put(PodScheduling.LAUNCHER_LABEL, PodScheduling.LAUNCHER);
		}
		nodeSelector.putAll(Selectors.stringMap(vmi.ref(), vmi.value("spec.nodeSelector").orElse(null),
				"spec.nodeSelector"));
		String model = vmi.string("spec.domain.cpu.model").orElse("");
		boolean hostModel = model.isEmpty() || model.equals("host-model");
		if (!hostModel && !model.equals("host-passthrough")) {
			nodeSelector.put(CPU_MODEL_PREFIX + model, "true");
		}
		List<Term> terms = null;
		Object owner = (pod != null) ? pod : vmi;
		KubeObject ownerObject = (KubeObject) owner;
		if (affinity instanceof Map<?, ?> map && map.get("nodeAffinity") instanceof Map<?, ?> nodeAffinity
				&& nodeAffinity.get("requiredDuringSchedulingIgnoredDuringExecution") instanceof Map<?, ?> required) {
			terms = Selectors.nodeSelectorTerms(ownerObject.ref(), required.get("nodeSelectorTerms"),
					"spec.affinity." + REQUIRED_NODE_AFFINITY + ".nodeSelectorTerms");
		}
		List<Toleration> tolerationList = Selectors.tolerations(ownerObject.ref(), tolerations, "spec.tolerations");
		List<PodTerm> anti = List.of();
		if (affinity instanceof Map<?, ?> map && map.get("podAntiAffinity") instanceof Map<?, ?> podAnti) {
			anti = Selectors.podTerms(ownerObject.ref(), vmi.namespace(),
					podAnti.get("requiredDuringSchedulingIgnoredDuringExecution"),
					"spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution");
		}
		KubeObject machine = machines.get(vmi.namespace() + "/" + vmi.name());
		return new Vm(index, vmi, machine, origin, requests, pod == null, new Resident(vmi.namespace(), labels, anti),
				nodeSelector, terms, tolerationList, hostModel, vmi.string(Projection.CREATION_TIMESTAMP).orElse(null));
	}

	private static KubeObject launcherOf(KubeObject pod, Map<String, KubeObject> running) {
		if (!PodScheduling.LAUNCHER.equals(pod.labels().get(PodScheduling.LAUNCHER_LABEL))) {
			return null;
		}
		String name = pod.label(LAUNCHER_VM_LABEL).or(() -> pod.label(HARVESTER_VM_LABEL)).orElse(null);
		return (name != null) ? running.get(pod.namespace() + "/" + name) : null;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Long> requests(KubeObject pod) {
		Object value = pod.value(PodRequests.KEY).orElse(Map.of());
		if (value instanceof Map<?, ?> map) {
			Map<String, Long> result = new LinkedHashMap<>();
			map.forEach((k, v) -> result.put(String.valueOf(k), ((Number) v).longValue()));
			return result;
		}
		throw new MalformedFieldException(pod.ref(), "spec.containers[].resources.requests", "quantities", value);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> constraints(KubeObject pod) {
		Object value = pod.value(PodScheduling.KEY).orElse(null);
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	private static List<PodTerm> antiAffinity(KubeObject pod, Map<String, Object> constraints) {
		if (constraints.get(AFFINITY) instanceof Map<?, ?> affinity
				&& affinity.get("podAntiAffinity") instanceof Map<?, ?> anti) {
			return Selectors.podTerms(pod.ref(), pod.namespace(), anti.get("requiredDuringSchedulingIgnoredDuringExecution"),
					"spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution");
		}
		return List.of();
	}

}
