package io.harvester.upgradereadiness.check.vms;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.VersionGate;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Which nodes a running VMI's CPU lets it live-migrate to, as KubeVirt's migration controller decides it
 * (kubevirt/kubevirt {@code pkg/virt-controller/watch/migration/migration.go}) from the node labels its node
 * labeller writes. Shared by {@code vm-cpu-model-compatible} ("no node at all qualifies") and the drain rehearsal,
 * which lists such a VM as non-migratable instead of looking for room for it.
 * <ul>
 * <li>{@code host-model}: when the launcher pod's {@code nodeSelector} already carries
 * {@code cpu-model-migration.node.kubevirt.io/*} or {@code cpu-feature.node.kubevirt.io/*} labels (the VM migrated
 * before), the target needs those; otherwise the source node's {@code host-model-cpu.node.kubevirt.io/<model>}
 * becomes {@code cpu-model-migration.node.kubevirt.io/<model>} and each of its
 * {@code host-model-required-features.node.kubevirt.io/<f>} becomes {@code cpu-feature.node.kubevirt.io/<f>}. A
 * source node without a host-model label cannot be migrated from at all ({@code unable to locate host cpu
 * model}).</li>
 * <li>an explicit model: {@code cpu-model.node.kubevirt.io/<model>}, plus the launcher pod's
 * {@code cpu-feature.node.kubevirt.io/*} labels; {@code host-passthrough} and no model constrain nothing here.</li>
 * <li>from KubeVirt 1.8 (Harvester v1.9.0, which runs the drains of an upgrade to it): the same CPU vendor, the
 * launcher pod's {@code cpu-vendor.node.kubevirt.io/*} label or else the source node's (KubeVirt commit
 * a16c2290cf, "prevent VM migration between different CPU vendors").</li>
 * </ul>
 * KubeVirt puts these labels in the launcher pod's {@code nodeSelector} only, never in its affinity; the VMI's own
 * node selector and affinity are {@code vms-live-migratable}'s.
 */
public final class CpuModels {

	public static final String HOST_MODEL = "host-model";

	public static final String HOST_PASSTHROUGH = "host-passthrough";

	public static final String MIGRATION_LABEL = "cpu-model-migration.node.kubevirt.io/";

	public static final String HOST_MODEL_LABEL = "host-model-cpu.node.kubevirt.io/";

	public static final String MODEL_LABEL = "cpu-model.node.kubevirt.io/";

	public static final String FEATURE_LABEL = "cpu-feature.node.kubevirt.io/";

	public static final String REQUIRED_FEATURES_LABEL = "host-model-required-features.node.kubevirt.io/";

	public static final String VENDOR_LABEL = "cpu-vendor.node.kubevirt.io/";

	/** The launcher pod label naming its VMI (KubeVirt's {@code DeprecatedVirtualMachineNameLabel}). */
	static final String VMI_NAME_LABEL = "vm.kubevirt.io/name";

	/** KubeVirt 1.8 keeps migrations within one CPU vendor; Harvester v1.9.0 ships it. */
	public static final VersionGate SAME_VENDOR = VersionGate.onTarget("v1.9.0", null);

	private final Map<String, KubeObject> nodes = new HashMap<>();

	private final Map<String, KubeObject> launchers = new HashMap<>();

	private CpuModels() {
	}

	/** Indexes the snapshot's nodes and virt-launcher pods once. */
	public static CpuModels of(ClusterSnapshot snapshot) {
		CpuModels models = new CpuModels();
		snapshot.nodes().forEach(n -> models.nodes.put(n.name(), n));
		if (snapshot.usable(WatchedKind.PODS)) {
			for (KubeObject pod : snapshot.objects(WatchedKind.PODS)) {
				Optional<String> vmi = pod.label(VMI_NAME_LABEL);
				if (vmi.isEmpty() || !"virt-launcher".equals(pod.labels().get("kubevirt.io"))
						|| !"Running".equals(pod.string("status.phase").orElse(null))) {
					continue;
				}
				String node = pod.string("spec.nodeName").orElse("");
				models.launchers.put(key(pod.namespace(), vmi.get(), node), pod);
			}
		}
		return models;
	}

	/** The running virt-launcher pod of a VMI on the VMI's node, if the snapshot has it. */
	public Optional<KubeObject> launcherPod(KubeObject vmi) {
		String node = vmi.string("status.nodeName").orElse("");
		return Optional.ofNullable(this.launchers.get(key(vmi.namespace(), vmi.name(), node)));
	}

	/** The CPU constraint of a VMI, with the vendor rule decided by the target version. */
	public Constraint constraint(KubeObject vmi, HarvesterVersions versions) {
		KubeObject node = vmi.string("status.nodeName").map(this.nodes::get).orElse(null);
		return constraint(vmi, launcherPod(vmi).orElse(null), node, SAME_VENDOR.decide(versions).applies());
	}

	/**
	 * The CPU constraint of a VMI.
	 * @param vmi the VirtualMachineInstance
	 * @param launcherPod its running virt-launcher pod, {@code null} when not known
	 * @param sourceNode the node it runs on, {@code null} when not known
	 * @param sameVendor whether the target must have the source's CPU vendor (KubeVirt 1.8 and later)
	 */
	public static Constraint constraint(KubeObject vmi, KubeObject launcherPod, KubeObject sourceNode,
			boolean sameVendor) {
		String model = vmi.string("spec.domain.cpu.model").orElse(null);
		Map<String, String> selector = (launcherPod != null) ? strings(launcherPod.map("spec.nodeSelector")) : Map.of();
		Map<String, String> sourceLabels = (sourceNode != null) ? sourceNode.labels() : Map.of();
		Map<String, String> required = new TreeMap<>();
		String from = null;
		String unresolved = null;
		if (HOST_MODEL.equals(model)) {
			selector.forEach((k, v) -> {
				if (k.contains(MIGRATION_LABEL) || k.contains(FEATURE_LABEL)) {
					required.put(k, v);
				}
			});
			if (!required.isEmpty()) {
				from = "the nodeSelector of launcher pod " + launcherPod.name();
			}
			else if (sourceNode != null) {
				String hostModel = null;
				for (Map.Entry<String, String> label : sourceLabels.entrySet()) {
					if (label.getKey().startsWith(HOST_MODEL_LABEL)) {
						hostModel = label.getKey().substring(HOST_MODEL_LABEL.length());
						required.put(MIGRATION_LABEL + hostModel, label.getValue());
					}
					else if (label.getKey().startsWith(REQUIRED_FEATURES_LABEL)) {
						required.put(FEATURE_LABEL + label.getKey().substring(REQUIRED_FEATURES_LABEL.length()),
								label.getValue());
					}
				}
				if (hostModel == null) {
					required.clear();
					unresolved = "its node " + sourceNode.name() + " has no " + HOST_MODEL_LABEL + "* label, so "
							+ "KubeVirt cannot choose a target (unable to locate host cpu model)";
				}
				else {
					from = "the host-model CPU of node " + sourceNode.name();
				}
			}
		}
		else if (model != null && !HOST_PASSTHROUGH.equals(model)) {
			required.put(MODEL_LABEL + model, "true");
			selector.forEach((k, v) -> {
				if (k.startsWith(FEATURE_LABEL)) {
					required.put(k, v);
				}
			});
			from = "its CPU model " + model;
		}
		if (sameVendor && unresolved == null) {
			Optional<String> podVendor = selector.keySet().stream().filter(k -> k.startsWith(VENDOR_LABEL)).findFirst();
			Optional<String> vendor = podVendor.or(
					() -> sourceLabels.keySet().stream().filter(k -> k.startsWith(VENDOR_LABEL)).sorted().findFirst());
			if (vendor.isPresent()) {
				required.put(vendor.get(), podVendor.isPresent() ? selector.get(vendor.get()) : "true");
				from = ((from != null) ? from + " and " : "") + "the CPU vendor of "
						+ (podVendor.isPresent() ? "launcher pod " + launcherPod.name()
								: "node " + sourceNode.name());
			}
		}
		return new Constraint(model, required, from, unresolved);
	}

	private static String key(String namespace, String name, String node) {
		return namespace + "/" + name + "@" + node;
	}

	private static Map<String, String> strings(Map<String, Object> map) {
		Map<String, String> strings = new LinkedHashMap<>();
		map.forEach((k, v) -> strings.put(k, (v != null) ? String.valueOf(v) : ""));
		return strings;
	}

	/**
	 * What a VMI's CPU asks of the node it migrates to.
	 *
	 * @param model {@code spec.domain.cpu.model}, {@code null} when absent
	 * @param requiredLabels the node labels (and values) the target must carry; empty when the CPU constrains nothing
	 * @param from where the labels come from, for people; {@code null} when there are none
	 * @param unresolved why no node can be chosen at all, {@code null} when one can
	 */
	public record Constraint(String model, Map<String, String> requiredLabels, String from, String unresolved) {

		public Constraint {
			requiredLabels = java.util.Collections.unmodifiableMap(new TreeMap<>(requiredLabels));
		}

		/** Whether the CPU restricts where the VMI may migrate. */
		public boolean constrains() {
			return !this.requiredLabels.isEmpty() || this.unresolved != null;
		}

		/** Whether the node satisfies the constraint (its labels carry every required label and value). */
		public boolean allows(KubeObject node) {
			if (this.unresolved != null) {
				return false;
			}
			Map<String, String> labels = node.labels();
			for (Map.Entry<String, String> required : this.requiredLabels.entrySet()) {
				if (!required.getValue().equals(labels.get(required.getKey()))) {
					return false;
				}
			}
			return true;
		}

		/** {@code cpu-model-migration.node.kubevirt.io/Skylake-Server=true, ...}. */
		public String describe() {
			return String.join(", ",
					this.requiredLabels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
		}

		/** The nodes of these that satisfy it. */
		public List<KubeObject> allowed(List<KubeObject> nodes) {
			return nodes.stream().filter(this::allows).toList();
		}

	}

}
