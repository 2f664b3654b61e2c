package io.harvester.upgradereadiness.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Where snapshots come from: the live cluster through informers, or files. The seam between the cluster and
 * everything downstream.
 */
public interface SnapshotSource {

	/**
	 * The current snapshot, or empty while it cannot be assembled yet (informers not synced). Calling it costs no
	 * API call; when nothing changed since the last call, it returns the same instance.
	 */
	Optional<ClusterSnapshot> current();

	/** The state of every watched kind, also before the first snapshot exists. */
	List<KindStatus> kindStatuses();

	/** Whether the snapshot is still kept current; files and healthy watches are fresh. */
	default Freshness freshness() {
		return Freshness.FRESH;
	}

	/** A short description such as {@code live:https://10.53.0.1:6443} or {@code file:/tmp/bundle}. */
	String description();

}
