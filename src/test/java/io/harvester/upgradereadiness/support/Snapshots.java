package io.harvester.upgradereadiness.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/** Snapshots for unit tests: every kind present, with the objects given. */
public final class Snapshots {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private Snapshots() {
	}

	/** A live snapshot builder in which every kind is present; add objects per kind with {@code present}. */
	public static ClusterSnapshot.Builder live(Instant takenAt, Map<WatchedKind, List<KubeObject>> objects) {
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder("live:https://127.0.0.1:6443/", takenAt, 1);
		for (WatchedKind kind : WatchedKind.values()) {
			builder.present(kind, kind.defaultApiVersion(), objects.getOrDefault(kind, List.of()));
		}
		return builder;
	}

	/** An object from kubectl-shaped YAML. */
	public static KubeObject object(String yaml) {
		return KubeObject.of(SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class));
	}

	public static KubeObject node(String name) {
		return object("""
				apiVersion: v1
				kind: Node
				metadata:
				  name: %s
				  labels:
				    harvesterhci.io/managed: "true"
				spec:
				  providerID: rke2://%s
				status:
				  conditions:
				  - type: Ready
				    status: "True"
				    reason: KubeletReady
				""".formatted(name, name));
	}

}
