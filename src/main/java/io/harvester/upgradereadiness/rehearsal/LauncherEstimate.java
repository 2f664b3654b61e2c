package io.harvester.upgradereadiness.rehearsal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.PodRequests;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * A VM's launcher pod request when the pod itself is not in the snapshot, from KubeVirt's renderer
 * ({@code renderresources.go}, {@code GetMemoryOverhead}): the VMI's requests plus the memory overhead of the
 * launcher's processes, page tables, vCPUs, IO thread, video, VFIO and dedicated CPUs, scaled by Harvester's
 * {@code additional-guest-memory-overhead-ratio}; plus the guest-console-log container (5m, 35M) and one of each
 * device-plugin resource. The video overhead follows the target's KubeVirt (32Mi from KubeVirt 1.6, Harvester
 * v1.7), as the migration target pod is rendered by the upgraded KubeVirt.
 */
final class LauncherEstimate {

	static final String RATIO_SETTING = "additional-guest-memory-overhead-ratio";

	static final double DEFAULT_RATIO = 1.5;

	private static final long MI = 1024L * 1024;

	/** virt-launcher-monitor, virt-launcher, virtlogd, virtqemud, qemu. */
	private static final long PROCESSES = (25 + 100 + 25 + 40 + 50) * MI;

	private static final List<String> BASE_DEVICES = List.of("devices.kubevirt.io/kvm", "devices.kubevirt.io/tun",
			"devices.kubevirt.io/vhost-net");

	private LauncherEstimate() {
	}

	static Map<String, Long> estimate(KubeObject vmi, ClusterSnapshot snapshot, RehearsalInput input) {
		double ratio = ratio(snapshot);
		boolean video32 = input.targetAtLeast(1, 7).orElse(true);
		return estimate(vmi, ratio, video32);
	}

	/**
	 * @param ratio the additional guest memory overhead ratio (1 when unset)
	 * @param video32 whether the rendering KubeVirt counts 32Mi of video memory (1.6 and later) instead of 16Mi
	 */
	static Map<String, Long> estimate(KubeObject vmi, double ratio, boolean video32) {
		boolean dedicated = vmi.bool("spec.domain.cpu.dedicatedCpuPlacement").orElse(false);
		long vcpus = vcpus(vmi);
		long memoryRequest = quantity(vmi, "spec.domain.resources.requests", "memory")
			.or(() -> quantity(vmi, "spec.domain.resources.limits", "memory"))
			.or(() -> vmi.value("spec.domain.memory.guest").map(g -> amount(vmi, "spec.domain.memory.guest", "memory", g)))
			.orElse(0L);
		long cpuRequest = quantity(vmi, "spec.domain.resources.requests", "cpu")
			.orElseGet(() -> dedicated ? vcpus * 1000 : vcpus * 100);
		boolean vfio = !vmi.objects("spec.domain.devices.hostDevices").isEmpty()
				|| !vmi.objects("spec.domain.devices.gpus").isEmpty();
		long overhead = ceilDiv(memoryRequest, 1000) * 1000 / 512 + PROCESSES + 8 * MI * vcpus + 8 * MI;
		if (vmi.bool("spec.domain.devices.autoattachGraphicsDevice").orElse(true)) {
			overhead += (video32 ? 32 : 16) * MI;
		}
		if (vfio) {
			overhead += 1024 * MI;
		}
		if (dedicated && video32) {
			overhead += 100 * MI;
		}
		overhead = multiply(overhead, ratio);
		if (dedicated && !video32) {
			overhead += 100 * MI;
		}
		Map<String, Long> requests = new LinkedHashMap<>();
		requests.put(Model.CPU, cpuRequest);
		requests.put(Model.MEMORY, memoryRequest + overhead);
		boolean consoleLog = vmi.bool("spec.domain.devices.autoattachSerialConsole").orElse(true)
				&& vmi.bool("spec.domain.devices.logSerialConsole").orElse(true);
		if (consoleLog) {
			requests.merge(Model.CPU, 5L, Long::sum);
			requests.merge(Model.MEMORY, 35_000_000L, Long::sum);
		}
		requests.putAll(extendedResources(vmi));
		return requests;
	}

	/** One of each device the pod asks a device plugin for: KubeVirt's base devices, host devices and vGPUs. */
	static Map<String, Long> extendedResources(KubeObject vmi) {
		Map<String, Long> devices = new LinkedHashMap<>();
		BASE_DEVICES.forEach(d -> devices.put(d, 1L));
		for (String path : List.of("spec.domain.devices.hostDevices", "spec.domain.devices.gpus")) {
			for (Map<String, Object> device : vmi.objects(path)) {
				if (device.get("deviceName") instanceof String name && !name.isEmpty()) {
					devices.merge(name, 1L, Long::sum);
				}
			}
		}
		return devices;
	}

	/** KubeVirt's {@code MultiplyMemory}: adds (ratio − 1) times the overhead, counted in whole kilobytes. */
	static long multiply(long overhead, double ratio) {
		if (ratio <= 1.0) {
			return overhead;
		}
		long kilo = ceilDiv(overhead, 1000);
		long added = BigDecimal.valueOf(kilo).multiply(BigDecimal.valueOf(ratio - 1.0))
			.setScale(0, RoundingMode.FLOOR).longValue();
		return overhead + added * 1000;
	}

	private static double ratio(ClusterSnapshot snapshot) {
		if (!snapshot.usable(WatchedKind.SETTINGS)) {
			return DEFAULT_RATIO;
		}
		if (Settings.find(snapshot, RATIO_SETTING).isEmpty()) {
			return DEFAULT_RATIO;
		}
		Optional<String> value = Settings.effective(snapshot, RATIO_SETTING);
		if (value.isEmpty()) {
			return 1.0;
		}
		try {
			double ratio = Double.parseDouble(value.get().trim());
			return (ratio <= 0) ? 1.0 : ratio;
		}
		catch (NumberFormatException ex) {
			return DEFAULT_RATIO;
		}
	}

	private static long vcpus(KubeObject vmi) {
		long sockets = vmi.integer("spec.domain.cpu.sockets").orElse(0L);
		long cores = vmi.integer("spec.domain.cpu.cores").orElse(0L);
		long threads = vmi.integer("spec.domain.cpu.threads").orElse(0L);
		if (sockets > 0 || cores > 0 || threads > 0) {
			return Math.max(1, sockets) * Math.max(1, cores) * Math.max(1, threads);
		}
		Optional<Long> cpu = quantity(vmi, "spec.domain.resources.limits", "cpu")
			.or(() -> quantity(vmi, "spec.domain.resources.requests", "cpu"));
		return Math.max(1, cpu.map(milli -> ceilDiv(milli, 1000)).orElse(1L));
	}

	private static Optional<Long> quantity(KubeObject vmi, String path, String resource) {
		Object value = vmi.map(path).get(resource);
		return (value == null) ? Optional.empty() : Optional.of(amount(vmi, path + "." + resource, resource, value));
	}

	private static long amount(KubeObject vmi, String path, String resource, Object value) {
		try {
			return PodRequests.amount(resource, value);
		}
		catch (IllegalArgumentException | ArithmeticException ex) {
			throw new MalformedFieldException(vmi.ref(), path, "a quantity", value);
		}
	}

	private static long ceilDiv(long a, long b) {
		return Math.floorDiv(a + b - 1, b);
	}

}
