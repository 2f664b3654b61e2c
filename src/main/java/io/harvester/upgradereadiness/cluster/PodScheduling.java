package io.harvester.upgradereadiness.cluster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * What the pods kind keeps of a Pod's scheduling constraints ({@code spec.nodeSelector}, {@code spec.affinity},
 * {@code spec.tolerations}), and only for the pods the drain rehearsal places or must keep clear of: KubeVirt's
 * virt-launcher pods (label {@code kubevirt.io=virt-launcher}) and pods with a required pod anti-affinity (which
 * the scheduler applies symmetrically to incoming pods). A DaemonSet pod's per-node affinity and its tolerations,
 * on every node, are not held.
 */
public final class PodScheduling {

	/** The key the pods kind keeps the constraints under: {@code {nodeSelector, affinity, tolerations}}. */
	public static final String KEY = "schedulingConstraints";

	public static final String LAUNCHER_LABEL = "kubevirt.io";

	public static final String LAUNCHER = "virt-launcher";

	private static final List<String> FIELDS = List.of("nodeSelector", "affinity", "tolerations");

	private PodScheduling() {
	}

	/** What the derivation reads of a pod. */
	static final List<String> INPUTS = List.of("spec.nodeSelector", "spec.affinity", "spec.tolerations");

	/** The derivation declared on {@link WatchedKind#PODS}. */
	static Object derive(Map<String, String> labels, String creationTimestamp, Map<String, Object> body) {
		if (!(body.get("spec") instanceof Map<?, ?> spec)) {
			return null;
		}
		if (!LAUNCHER.equals(labels.get(LAUNCHER_LABEL)) && !hasRequiredAntiAffinity(spec)) {
			return null;
		}
		Map<String, Object> kept = new LinkedHashMap<>();
		for (String field : FIELDS) {
			Object value = spec.get(field);
			if (value != null) {
				kept.put(field, value);
			}
		}
		return kept;
	}

	private static boolean hasRequiredAntiAffinity(Map<?, ?> spec) {
		return spec.get("affinity") instanceof Map<?, ?> affinity
				&& affinity.get("podAntiAffinity") instanceof Map<?, ?> anti
				&& anti.get("requiredDuringSchedulingIgnoredDuringExecution") instanceof List<?> terms
				&& !terms.isEmpty();
	}

}
