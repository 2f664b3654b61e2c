package io.harvester.upgradereadiness.check.platform;

import java.util.Optional;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Harvester's own Cluster API cluster, {@code clusters.cluster.x-k8s.io fleet-local/local}: not the Rancher
 * provisioning cluster nor the Fleet cluster of the same name.
 */
final class LocalCluster {

	static final String NAMESPACE = "fleet-local";

	static final String NAME = "local";

	static final String QUALIFIED_NAME = NAMESPACE + "/" + NAME;

	private LocalCluster() {
	}

	static Optional<KubeObject> find(ClusterSnapshot snapshot) {
		return snapshot.objects(WatchedKind.CAPI_CLUSTERS)
			.stream()
			.filter(c -> NAMESPACE.equals(c.namespace()) && NAME.equals(c.name()))
			.findFirst();
	}

	/** A reference to the cluster when it is not in the snapshot, with the apiVersion the snapshot reads. */
	static ResourceRef missingRef(ClusterSnapshot snapshot) {
		String apiVersion = snapshot.status(WatchedKind.CAPI_CLUSTERS).apiVersion();
		return new ResourceRef((apiVersion != null) ? apiVersion : WatchedKind.CAPI_CLUSTERS.defaultApiVersion(),
				WatchedKind.CAPI_CLUSTERS.kind(), NAMESPACE, NAME);
	}

}
