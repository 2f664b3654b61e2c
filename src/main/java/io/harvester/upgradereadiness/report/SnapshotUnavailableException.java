package io.harvester.upgradereadiness.report;

import java.util.List;

import io.harvester.upgradereadiness.cluster.KindStatus;

/** No snapshot can be assembled yet: informers are still syncing or the API server has not answered. */
public class SnapshotUnavailableException extends RuntimeException {

	private final List<KindStatus> pending;

	public SnapshotUnavailableException(List<KindStatus> pending) {
		super("The cluster snapshot is not ready yet; still waiting for: "
				+ String.join(", ", pending.stream().map(KindStatus::resource).toList()));
		this.pending = List.copyOf(pending);
	}

	public List<KindStatus> pending() {
		return this.pending;
	}

}
