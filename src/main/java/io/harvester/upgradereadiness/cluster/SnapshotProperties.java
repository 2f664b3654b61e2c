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
 */
@ConfigurationProperties("upgrade-readiness.snapshot")
public record SnapshotProperties(String path, @DefaultValue("30s") Duration discoveryInterval,
		@DefaultValue("2s") Duration discoveryRetryInterval) {

	public boolean fileMode() {
		return this.path != null && !this.path.isBlank();
	}

}
