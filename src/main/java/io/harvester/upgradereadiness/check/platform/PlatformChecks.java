package io.harvester.upgradereadiness.check.platform;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The platform checks, in the order reports list them. */
public final class PlatformChecks {

	private PlatformChecks() {
	}

	public static List<Check> all() {
		return List.of(new UpgradeNotInProgressCheck(), new CapiClusterProvisionedCheck(),
				new CapiClusterNotPausedCheck(), new ManagedChartsReadyCheck(), new FleetBundlesReadyCheck(),
				new AddonsSettledCheck(), new UpgradePathCheck(), new PauseNodesExistCheck(),
				new ProvisioningClusterReadyCheck(), new KubeVirtReadyCheck(), new UpgradeLeftoversCheck());
	}

}
