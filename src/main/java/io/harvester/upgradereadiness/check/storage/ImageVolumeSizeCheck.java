package io.harvester.upgradereadiness.check.storage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Quantity;
import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * No volume made from a VM image may be smaller than the image (the v1.9 to v1.10 upgrade guide, harvester/harvester
 * PR #11315, issue #10351): before v1.10.0 nothing stopped a PVC from being smaller than its image, typically after a
 * golden image was replaced by a larger one; the guest sizes its filesystem after the image, so writing past the
 * end of the volume corrupts it. v1.10.0 refuses new undersized volumes but leaves existing ones as they are.
 * <p>
 * As Harvester's {@code GetPVCSourceImage} and {@code GetImageDiskSizeQuantity}: a PVC's image is the image of the
 * same namespace and name when the PVC carries {@code harvesterhci.io/goldenImage: "true"} (the image's own golden
 * PVC), else the image its {@code harvesterhci.io/imageId} ({@code namespace/name}) names, when it exists; the
 * minimum is the larger of the image's {@code status.virtualSize} and {@code status.size}, rounded up to whole GiB;
 * an image of no known size sets no minimum. A warning, not a blocker: Harvester's in-upgrade check only warns,
 * although the guide's script counts it as a failed check.
 */
public final class ImageVolumeSizeCheck implements Check {

	static final String IMAGE_ID = "harvesterhci.io/imageId";

	static final String GOLDEN_IMAGE = "harvesterhci.io/goldenImage";

	private static final long GIB = 1L << 30;

	static final CheckDefinition DEFINITION = new CheckDefinition("image-volume-size",
			"Volumes are not smaller than their VM image", "storage", Severity.WARNING, false,
			"No PVC created from a VM image (annotation harvesterhci.io/imageId, or the image's golden PVC with "
					+ "harvesterhci.io/goldenImage \"true\") may request less than the image needs: the larger of "
					+ "its status.virtualSize and status.size, rounded up to GiB. A warning: Harvester's in-upgrade "
					+ "check warns, the upgrade guide's pre-check script fails.",
			List.of(WatchedKind.PERSISTENT_VOLUME_CLAIMS, WatchedKind.VIRTUAL_MACHINE_IMAGES),
			"upgrade guide v1.9 to v1.10 (pre-check script Image Volume Size); an in-upgrade warning in "
					+ "harvester/harvester PR #11315 (open); new undersized volumes refused by the PVC webhook from "
					+ "v1.10.0; not in the Upgrade webhook",
			null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Map<String, KubeObject> images = new HashMap<>();
		for (KubeObject image : snapshot.objects(WatchedKind.VIRTUAL_MACHINE_IMAGES)) {
			images.put(image.ref().qualifiedName(), image);
		}
		List<Finding> findings = new ArrayList<>();
		for (KubeObject pvc : snapshot.objects(WatchedKind.PERSISTENT_VOLUME_CLAIMS)) {
			Optional<KubeObject> source = sourceImage(pvc, images);
			if (source.isEmpty()) {
				continue;
			}
			KubeObject image = source.get();
			long minimum = minimum(image);
			if (minimum <= 0) {
				continue;
			}
			Optional<Object> requested = pvc.value("spec.resources.requests.storage");
			BigDecimal bytes = requested.map(value -> bytes(pvc, value)).orElse(BigDecimal.ZERO);
			if (bytes.compareTo(BigDecimal.valueOf(minimum)) >= 0) {
				continue;
			}
			String min = (minimum / GIB) + "Gi";
			String qualified = image.ref().qualifiedName();
			String request = requested.map(String::valueOf).orElse(null);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("requested", request);
			details.put("requiredMinimum", min);
			details.put("image", qualified);
			image.string("spec.displayName").ifPresent(name -> details.put("imageDisplayName", name));
			details.put("imageVirtualSize", image.integer("status.virtualSize").orElse(null));
			details.put("imageSize", image.integer("status.size").orElse(null));
			findings.add(Finding.of(DEFINITION, "volume-smaller-than-image",
					pvc.ref().qualifiedName() + ": " + ((request != null) ? request : "no storage request, which")
							+ " is smaller than the required minimum of " + min + " (source image " + qualified + ")",
					"Once the guest writes past the end of this volume, its filesystem can be corrupted. Expand the "
							+ "volume to at least " + min + ": Harvester UI > Volumes > " + pvc.name()
							+ " > Edit > Size, or kubectl -n " + pvc.namespace() + " patch pvc " + pvc.name()
							+ " -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"" + min + "\"}}}}'. If "
							+ "the storage class does not support online expansion, shut down the virtual machine "
							+ "using the volume first.",
					List.of(pvc.ref(), image.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

	/** The image a PVC was made from: its golden image first, else the one its imageId names. */
	static Optional<KubeObject> sourceImage(KubeObject pvc, Map<String, KubeObject> images) {
		if ("true".equals(pvc.annotation(GOLDEN_IMAGE).orElse(null))) {
			KubeObject golden = images.get(pvc.ref().qualifiedName());
			if (golden != null) {
				return Optional.of(golden);
			}
		}
		Optional<String> imageId = pvc.annotation(IMAGE_ID);
		if (imageId.isEmpty() || imageId.get().indexOf('/') <= 0 || imageId.get().endsWith("/")
				|| imageId.get().indexOf('/') != imageId.get().lastIndexOf('/')) {
			// Harvester's SplitNamespacedName takes a name without a namespace as cluster-scoped: no image
			return Optional.empty();
		}
		return Optional.ofNullable(images.get(imageId.get()));
	}

	/** The larger of the image's virtual and file size, rounded up to whole GiB; 0 when neither is known. */
	static long minimum(KubeObject image) {
		long size = Math.max(image.integer("status.virtualSize").orElse(0L), image.integer("status.size").orElse(0L));
		if (size <= 0) {
			return 0;
		}
		return ((size + GIB - 1) / GIB) * GIB;
	}

	private static BigDecimal bytes(KubeObject pvc, Object value) {
		try {
			return new Quantity(String.valueOf(value)).getNumericalAmount();
		}
		catch (RuntimeException ex) {
			throw new MalformedFieldException(pvc.ref(), "spec.resources.requests.storage", "a quantity", value);
		}
	}

}
