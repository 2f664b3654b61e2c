package io.harvester.upgradereadiness.check.workloads;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The workloads checks, in the order reports list them. */
public final class WorkloadChecks {

	private WorkloadChecks() {
	}

	public static List<Check> all() {
		return List.of(new PodsReadyCheck());
	}

}
