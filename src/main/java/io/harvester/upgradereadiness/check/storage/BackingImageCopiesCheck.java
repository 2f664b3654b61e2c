package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * Longhorn backing images (Harvester's VM images) must keep copies on several disks (UH-13): a backing image
 * whose only copy sits on the node being upgraded cannot serve new replicas of the volumes built on it.
 * <p>
 * From the pre-check script: {@code spec.minNumberOfCopies} 0 fails, below 3 is a warning. The script selects
 * with kubectl JSONPath filters ({@code ?(@.spec.minNumberOfCopies==0)}, {@code <3}), which leave out an object
 * that has no such field; we do the same: an absent {@code minNumberOfCopies} is no finding (the field came with
 * Longhorn's backing-image HA, Longhorn v1.6; older Longhorn has no such setting to fix, and the script skips the
 * check on those Harvester versions). A negative value counts as no minimum. The script runs this only from
 * Harvester v1.4 on; we run it always, since the rule holds wherever the field exists.
 */
public final class BackingImageCopiesCheck implements Check {

	/** The number of copies the pre-check script recommends. */
	static final int RECOMMENDED_MIN_COPIES = 3;

	static final CheckDefinition DEFINITION = new CheckDefinition("backing-image-copies",
			"Backing images keep enough copies", "storage", Severity.ERROR, true,
			"Every Longhorn backing image (backingimages.longhorn.io) must have spec.minNumberOfCopies set: 0 "
					+ "blocks the upgrade, 1 or 2 is a warning (3 recommended). An image without the field is "
					+ "not judged.",
			List.of(WatchedKind.LONGHORN_BACKING_IMAGES),
			"upgrade-helpers pre-check (UH-13); not in the Upgrade webhook", null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject image : snapshot.objects(WatchedKind.LONGHORN_BACKING_IMAGES)) {
			Optional<Long> copies = image.integer("spec.minNumberOfCopies");
			if (copies.isEmpty() || copies.get() >= RECOMMENDED_MIN_COPIES) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("minNumberOfCopies", copies.get());
			details.put("recommended", RECOMMENDED_MIN_COPIES);
			image.string("spec.sourceType").ifPresent(type -> details.put("sourceType", type));
			String qualified = image.ref().qualifiedName();
			if (copies.get() <= 0) {
				findings.add(Finding.of(DEFINITION, "no-minimum-copies",
						"Backing image " + qualified + " has no minimum copies set",
						"Longhorn keeps no guaranteed copy of this image. Set a minimum (Longhorn UI > Backing Image "
								+ "> Update Minimum Copies Count, or " + patch(image)
								+ ") and wait until that many copies are ready before upgrading.",
						List.of(image.ref()), details));
			}
			else {
				findings.add(Finding.of(DEFINITION, "few-minimum-copies", Severity.WARNING, false,
						"Backing image " + qualified + " has less than the recommended minimum number of copies ("
								+ copies.get() + " < " + RECOMMENDED_MIN_COPIES + ")",
						"Consider keeping more copies, at most one per node (" + patch(image)
								+ "), so that the image stays available while nodes are upgraded one by one.",
						List.of(image.ref()), details));
			}
		}
		return CheckOutcome.of(findings);
	}

	private static String patch(KubeObject image) {
		return "kubectl -n " + image.namespace() + " patch backingimages.longhorn.io " + image.name()
				+ " --type merge -p '{\"spec\":{\"minNumberOfCopies\":" + RECOMMENDED_MIN_COPIES + "}}'";
	}

}
