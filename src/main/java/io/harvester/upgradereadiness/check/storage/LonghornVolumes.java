package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.ResourceRef;

/**
 * What the storage checks read of a Longhorn Volume ({@code volumes.longhorn.io}): its state, robustness, replica
 * count and the PVC that Longhorn records in {@code status.kubernetesStatus}. Harvester names volumes by their PVC
 * in its messages (HV-16), so every finding about a volume names both. Also reads values nested in maps (disks of a
 * Longhorn Node, workload entries) as leniently as {@link KubeObject} reads fields.
 */
final class LonghornVolumes {

	/** The label Longhorn puts on a volume's replicas and engines, whose value is the volume's name. */
	static final String VOLUME_LABEL = "longhornvolume";

	static final String STATE_ATTACHED = "attached";

	static final String STATE_DETACHED = "detached";

	static final String ROBUSTNESS_DEGRADED = "degraded";

	static final String ROBUSTNESS_FAULTED = "faulted";

	private LonghornVolumes() {
	}

	static Optional<String> state(KubeObject volume) {
		return volume.string("status.state");
	}

	static Optional<String> robustness(KubeObject volume) {
		return volume.string("status.robustness");
	}

	static Optional<Long> numberOfReplicas(KubeObject volume) {
		return volume.integer("spec.numberOfReplicas");
	}

	/** The PVC as {@code namespace/name}, when Longhorn knows both. */
	static Optional<String> pvc(KubeObject volume) {
		Optional<String> namespace = volume.string("status.kubernetesStatus.namespace");
		Optional<String> name = volume.string("status.kubernetesStatus.pvcName");
		return (namespace.isPresent() && name.isPresent()) ? Optional.of(namespace.get() + "/" + name.get())
				: Optional.empty();
	}

	/** The PVC as a resource, when Longhorn knows its namespace and name. */
	static Optional<ResourceRef> pvcRef(KubeObject volume) {
		Optional<String> namespace = volume.string("status.kubernetesStatus.namespace");
		Optional<String> name = volume.string("status.kubernetesStatus.pvcName");
		return (namespace.isPresent() && name.isPresent())
				? Optional.of(new ResourceRef("v1", "PersistentVolumeClaim", namespace.get(), name.get()))
				: Optional.empty();
	}

	/** {@code longhorn-system/pvc-1 (PVC default/disk-0)}, or {@code ... (no PVC)}. */
	static String describe(KubeObject volume) {
		return volume.ref().qualifiedName() + pvc(volume).map(p -> " (PVC " + p + ")").orElse(" (no PVC)");
	}

	/** The PVC as Harvester lists it in its messages, or the volume itself when it has no PVC. */
	static String pvcOrVolume(KubeObject volume) {
		return pvc(volume).orElseGet(() -> "volume " + volume.ref().qualifiedName() + " (no PVC)");
	}

	/** The volume and, when known, its PVC. */
	static List<ResourceRef> resources(KubeObject volume) {
		List<ResourceRef> resources = new ArrayList<>();
		resources.add(volume.ref());
		pvcRef(volume).ifPresent(resources::add);
		return resources;
	}

	/** The facts every volume finding carries: state, robustness, replica count and PVC. */
	static Map<String, Object> details(KubeObject volume) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("state", state(volume).orElse(null));
		details.put("robustness", robustness(volume).orElse(null));
		details.put("numberOfReplicas", numberOfReplicas(volume).orElse(null));
		details.put("pvc", pvc(volume).orElse(null));
		return details;
	}

	/**
	 * The workloads Longhorn lists for a volume ({@code status.kubernetesStatus.workloadsStatus}): each entry's pod
	 * name, pod status, workload name and type.
	 */
	static List<Workload> workloads(KubeObject volume) {
		String path = "status.kubernetesStatus.workloadsStatus";
		List<Workload> workloads = new ArrayList<>();
		for (Map<String, Object> entry : volume.objects(path)) {
			workloads.add(new Workload(text(volume, path + "[].podName", entry.get("podName")),
					text(volume, path + "[].podStatus", entry.get("podStatus")),
					text(volume, path + "[].workloadName", entry.get("workloadName")),
					text(volume, path + "[].workloadType", entry.get("workloadType"))));
		}
		return workloads;
	}

	/**
	 * A boolean inside a map read with {@link KubeObject#map(String)}, as leniently as {@link KubeObject#bool}:
	 * absent is empty, {@code "true"}/{@code "false"} strings count.
	 */
	static Optional<Boolean> bool(KubeObject object, String path, Object value) {
		if (value == null || (value instanceof String s && (s.isEmpty() || "null".equals(s)))) {
			return Optional.empty();
		}
		if (value instanceof Boolean b) {
			return Optional.of(b);
		}
		if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
			return Optional.of(Boolean.parseBoolean(s));
		}
		throw new MalformedFieldException(object.ref(), path, "a boolean", value);
	}

	private static String text(KubeObject object, String path, Object value) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof String s)) {
			throw new MalformedFieldException(object.ref(), path, "a string", value);
		}
		return (s.isEmpty() || "null".equals(s)) ? null : s;
	}

	/**
	 * One entry of a volume's {@code workloadsStatus}.
	 *
	 * @param podName the pod using the volume
	 * @param podStatus the pod's phase as Longhorn saw it ({@code Running}, {@code Succeeded}, ...)
	 * @param workloadName the pod's owner, such as a VirtualMachineInstance
	 * @param workloadType the owner's kind
	 */
	record Workload(String podName, String podStatus, String workloadName, String workloadType) {

		boolean isRunning() {
			return "Running".equals(this.podStatus);
		}

		/** {@code virt-launcher-vm1-abcde (VirtualMachineInstance vm1): Succeeded}. */
		String describe() {
			StringBuilder text = new StringBuilder((this.podName != null) ? this.podName : "<unnamed pod>");
			if (this.workloadType != null || this.workloadName != null) {
				text.append(" (");
				if (this.workloadType != null) {
					text.append(this.workloadType);
				}
				if (this.workloadName != null) {
					text.append(this.workloadType != null ? " " : "").append(this.workloadName);
				}
				text.append(')');
			}
			return text.append(": ").append((this.podStatus != null) ? this.podStatus : "no status").toString();
		}

	}

}
