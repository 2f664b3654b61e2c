package io.harvester.upgradereadiness.check.nodes;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The nodes checks, in the order reports list them. */
public final class NodeChecks {

	private NodeChecks() {
	}

	public static List<Check> all() {
		return List.of(new NodesReadyCheck(), new NodesSchedulableCheck(), new NodePressureCheck(),
				new WitnessNodeCheck(), new NodeTimeSyncedCheck());
	}

}
