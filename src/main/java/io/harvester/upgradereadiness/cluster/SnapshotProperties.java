package io.harvester.upgradereadiness.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the snapshot comes from.
 *
 * @param path a file or directory (or {@code classpath:} location) to read the snapshot from; when unset, the live
 * cluster is read through informers (kubeconfig or in-cluster service account)
 * @param discoveryInterval how often the live source asks the API server which kinds it serves, so that CRDs
 * installed later are picked up
 * @param discoveryRetryInterval how often discovery is retried while the API server cannot be reached
 * @param certificateInterval how often the API server endpoints' certificates are read (live only)
 * @param nodeDiskInterval how often the kubelets' filesystem usage is read when node-disk-headroom is enabled
 * @param probeTimeout connect and read timeout of one TLS handshake with an API server endpoint
 * @param maxStaleness how long a live snapshot whose watches are lost may still give a verdict; after that the
 * verdict is UNKNOWN
 */
@ConfigurationProperties("upgrade-readiness.snapshot")
public record SnapshotProperties(String path, @DefaultValue("30s") Duration discoveryInterval,
		@DefaultValue("2s") Duration discoveryRetryInterval, @DefaultValue("10m") Duration certificateInterval,
		@DefaultValue("5m") Duration nodeDiskInterval, @DefaultValue("3s") Duration probeTimeout,
		@DefaultValue("60s") Duration maxStaleness) {

	public boolean fileMode() {
		return this.path != null && !this.path.isBlank();
	}

}
