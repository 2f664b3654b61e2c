package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * No Longhorn volume may be waiting for its backing image (harvester/harvester#8657, asked and never built): Longhorn
 * sets the volume condition {@code WaitForBackingImage} to {@code True} while a replica's backing image file is
 * not ready on its disk ({@code Waiting}) or cannot be fetched ({@code GetBackingImageFailed}, with the replicas'
 * errors as message). Such a volume cannot be attached: its VM cannot start, and cannot be migrated off a node
 * being drained, so the upgrade stalls in pre-drain.
 */
public final class VolumesBackingImageReadyCheck implements Check {

	static final String CONDITION = "WaitForBackingImage";

	static final CheckDefinition DEFINITION = new CheckDefinition("volumes-backing-image-ready",
			"No volume waits for its backing image", "storage", Severity.ERROR, true,
			"No Longhorn volume may have the condition WaitForBackingImage=True: its replicas wait for a backing "
					+ "image (a VM image) that is not ready on their disks, so the volume cannot attach and its VM "
					+ "can neither start nor migrate.",
			List.of(WatchedKind.LONGHORN_VOLUMES),
			"Not checked by Harvester (requested in harvester/harvester#8657, never built); ours", null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject volume : snapshot.objects(WatchedKind.LONGHORN_VOLUMES)) {
			Optional<KubeObject.Condition> waiting = volume.condition("status.conditions", CONDITION)
				.filter(KubeObject.Condition::isTrue);
			if (waiting.isEmpty()) {
				continue;
			}
			String image = volume.string("spec.backingImage").orElse(null);
			Map<String, Object> details = LonghornVolumes.details(volume);
			details.put("backingImage", image);
			details.put("reason", waiting.get().reason());
			details.put("conditionMessage", waiting.get().message());
			String which = (image != null) ? "backing image " + image : "its backing image";
			findings.add(Finding.of(DEFINITION, "waiting-for-backing-image",
					"Volume " + LonghornVolumes.describe(volume) + " is waiting for " + which + ": "
							+ waiting.get().describe(),
					"The VM using this volume cannot start or migrate until a copy of the image is ready on the "
							+ "replicas' disks. Look at the backing image's copies: Longhorn UI > Backing Image"
							+ ((image != null) ? " > " + image : "") + ", or kubectl -n " + volume.namespace()
							+ " get backingimages.longhorn.io " + ((image != null) ? image : "")
							+ " -o jsonpath='{.status.diskFileStatusMap}'. Wait for a copy to become ready, fix its "
							+ "source (the VM image in Harvester UI > Images) or the failing disk, or delete the "
							+ "VM if its image is gone, before upgrading.",
					LonghornVolumes.resources(volume), details));
		}
		return CheckOutcome.of(findings);
	}

}
