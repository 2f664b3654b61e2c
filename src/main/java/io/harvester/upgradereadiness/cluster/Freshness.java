package io.harvester.upgradereadiness.cluster;

import java.time.Instant;
import java.util.List;

/**
 * Whether the live snapshot is still being kept current. When the API server is lost after a sync, the last
 * snapshot is served, marked stale with the time of the last successful contact.
 *
 * @param stale whether any watched kind has lost its watch
 * @param lastContactAt for a stale snapshot, the last time every stale kind was still watched; {@code null} when
 * not stale or for files
 * @param staleKinds the resources whose watch is lost
 */
public record Freshness(boolean stale, Instant lastContactAt, List<String> staleKinds) {

	/** Fresh: every kind is watched (or the snapshot comes from files, which never go stale). */
	public static final Freshness FRESH = new Freshness(false, null, List.of());

	public Freshness {
		staleKinds = List.copyOf(staleKinds);
	}

}
