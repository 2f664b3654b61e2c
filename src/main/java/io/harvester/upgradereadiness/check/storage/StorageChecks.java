package io.harvester.upgradereadiness.check.storage;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The storage checks, in the order reports list them. */
public final class StorageChecks {

	private StorageChecks() {
	}

	public static List<Check> all() {
		return List.of(new LonghornVolumesHealthyCheck(), new SingleReplicaVolumesCheck(),
				new StaleAttachedVolumesCheck(), new BackingImageCopiesCheck(), new LonghornEvictionRequestedCheck(),
				new StorageNetworkIpsCheck(), new RwxNetworkIpsCheck(), new ImageVolumeSizeCheck(),
				new VolumesBackingImageReadyCheck(), new LonghornV2VolumesDetachedCheck());
	}

}
