package io.harvester.upgradereadiness.check.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.KubeObject;

/** A short account of a pod's containers that are not ready, from {@code status.containerStatuses}. */
final class ContainerStates {

	private ContainerStates() {
	}

	/**
	 * One line per container that is not ready: {@code apiserver: waiting (CrashLoopBackOff), 12 restarts}. Init
	 * containers are listed only while they have not completed.
	 */
	static List<String> notReady(KubeObject pod) {
		List<String> lines = new ArrayList<>();
		for (Map<String, Object> status : pod.objects("status.initContainerStatuses")) {
			if (!Boolean.TRUE.equals(status.get("ready")) && !completed(status)) {
				lines.add("init " + describe(status));
			}
		}
		for (Map<String, Object> status : pod.objects("status.containerStatuses")) {
			if (!Boolean.TRUE.equals(status.get("ready"))) {
				lines.add(describe(status));
			}
		}
		return lines;
	}

	private static boolean completed(Map<String, Object> status) {
		return (state(status, "terminated") instanceof Map<?, ?> terminated)
				&& "Completed".equals(terminated.get("reason"));
	}

	private static String describe(Map<String, Object> status) {
		StringBuilder text = new StringBuilder(String.valueOf(status.get("name"))).append(": ");
		if (state(status, "waiting") instanceof Map<?, ?> waiting) {
			text.append("waiting");
			appendReason(text, waiting.get("reason"));
		}
		else if (state(status, "terminated") instanceof Map<?, ?> terminated) {
			text.append("terminated");
			appendReason(text, terminated.get("reason"));
			if (terminated.get("exitCode") != null) {
				text.append(", exit code ").append(terminated.get("exitCode"));
			}
		}
		else if (state(status, "running") != null) {
			text.append("running, not ready");
		}
		else {
			text.append("not ready");
		}
		if (status.get("restartCount") instanceof Number restarts && restarts.longValue() > 0) {
			text.append(", ").append(restarts).append(restarts.longValue() == 1 ? " restart" : " restarts");
		}
		return text.toString();
	}

	private static void appendReason(StringBuilder text, Object reason) {
		if (reason != null && !reason.toString().isEmpty()) {
			text.append(" (").append(reason).append(')');
		}
	}

	private static Object state(Map<String, Object> status, String name) {
		return (status.get("state") instanceof Map<?, ?> state) ? state.get(name) : null;
	}

}
