package io.harvester.upgradereadiness.check.machines;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The machines checks, in the order reports list them. */
public final class MachineChecks {

	private MachineChecks() {
	}

	public static List<Check> all() {
		return List.of(new MachinesRunningCheck(), new MachineNodeMatchCheck());
	}

}
