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
import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.databind.JsonNode;

/**
 * The storage network must have a free address for every pod Longhorn starts while it is upgraded (UH-18): when
 * the new Longhorn is applied, it starts a new instance manager and a new backing image manager pod beside each old
 * one before removing it, and each new pod takes a fresh address from the storage network; when the RWX network
 * shares the storage network, the upgrade repository's RWX volume takes one more. A network that runs out stalls
 * the upgrade with pods stuck in ContainerCreating.
 * <p>
 * As the pre-check script: whether RWX shares the storage network is {@code share-storage-network} of setting
 * {@code rwx-network} (v1.8+), else the Longhorn setting {@code storage-network-for-rwx-volume-enabled}; a sharing
 * RWX network with no storage network set is a failure of its own; no storage network, or nothing that needs an
 * address, is a deliberate skip. When neither setting can be read the sharing is unknown: the check still fails
 * when even the addresses without the RWX one are missing, passes when there is room for both, and is unknown in
 * between.
 */
public final class StorageNetworkIpsCheck implements Check {

	static final String LONGHORN_RWX_SETTING = "storage-network-for-rwx-volume-enabled";

	static final String LONGHORN_NAMESPACE = "longhorn-system";

	static final CheckDefinition DEFINITION = new CheckDefinition("storage-network-ips",
			"Storage network has free addresses", "storage", Severity.ERROR, true,
			"When a storage network is set (setting storage-network), its range minus network, broadcast and "
					+ "excluded addresses, minus the allocations of its whereabouts IPPool (kube-system), must leave "
					+ "at least one free address per Longhorn instance manager and backing image manager, plus one "
					+ "when the RWX network shares the storage network. Also fails when rwx-network shares a "
					+ "storage network that is not set.",
			List.of(WatchedKind.SETTINGS),
			"upgrade-helpers pre-check (UH-18, upgrade-helpers PR #46, 2026); not in the Upgrade webhook", null,
			List.of(WatchedKind.LONGHORN_INSTANCE_MANAGERS, WatchedKind.LONGHORN_BACKING_IMAGE_MANAGERS,
					WatchedKind.WHEREABOUTS_IP_POOLS, WatchedKind.LONGHORN_SETTINGS));

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Optional<Map.Entry<KubeObject, String>> storage = NetworkAddresses.setting(snapshot,
				NetworkAddresses.STORAGE_NETWORK);
		Sharing sharing = Sharing.read(snapshot);
		if (Boolean.TRUE.equals(sharing.shared()) && storage.isEmpty()) {
			List<ResourceRef> resources = new ArrayList<>();
			resources.add(sharing.source().ref());
			Settings.find(snapshot, NetworkAddresses.STORAGE_NETWORK).ifPresent(s -> resources.add(s.ref()));
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("rwxSharesStorageNetworkFrom", sharing.from());
			return CheckOutcome.of(List.of(Finding.of(DEFINITION, "shared-storage-network-not-set",
					"rwx-network shares storage-network, but storage-network is empty.",
					sharing.fromLonghorn() ? "Longhorn is told to put RWX volumes on a storage network that is not "
							+ "set. Either set the storage network (Harvester UI: Advanced > Settings > "
							+ "storage-network > Edit) or turn off Storage Network For RWX Volume Enabled (Longhorn "
							+ "UI: Setting > General; kubectl -n longhorn-system edit settings.longhorn.io "
							+ LONGHORN_RWX_SETTING + ", value \"false\")."
							: "Either set the storage network (Harvester UI: Advanced > Settings > storage-network > "
									+ "Edit) or stop sharing it: kubectl edit settings.harvesterhci.io rwx-network "
									+ "and set value to {\"share-storage-network\":false} (or a dedicated network).",
					resources, details)));
		}
		if (storage.isEmpty()) {
			return CheckOutcome.skipped("no storage network: setting storage-network is not set, Longhorn uses the "
					+ "management network");
		}
		KubeObject setting = storage.get().getKey();
		NetworkAddresses.Network network = NetworkAddresses.network(setting,
				NetworkAddresses.json(setting, storage.get().getValue()), "value");
		for (WatchedKind kind : List.of(WatchedKind.LONGHORN_INSTANCE_MANAGERS,
				WatchedKind.LONGHORN_BACKING_IMAGE_MANAGERS, WatchedKind.WHEREABOUTS_IP_POOLS)) {
			KindStatus status = snapshot.status(kind);
			if (!status.usable()) {
				return CheckOutcome.unknown("a storage network is set, and counting its addresses needs "
						+ kind.resource() + ": " + why(status));
			}
		}
		long instanceManagers = snapshot.objects(WatchedKind.LONGHORN_INSTANCE_MANAGERS).size();
		long backingImageManagers = snapshot.objects(WatchedKind.LONGHORN_BACKING_IMAGE_MANAGERS).size();
		long base = instanceManagers + backingImageManagers;
		if (base == 0 && Boolean.FALSE.equals(sharing.shared())) {
			return CheckOutcome.skipped("no Longhorn instance manager or backing image manager: the upgrade needs no "
					+ "storage-network address");
		}
		NetworkAddresses.Count count = NetworkAddresses.count(snapshot, network);
		long required;
		if (sharing.shared() == null) {
			if (count.available() >= base + 1) {
				return CheckOutcome.pass();
			}
			if (count.available() >= base) {
				return CheckOutcome.unknown("the storage network has " + count.available() + " free addresses for "
						+ base + " Longhorn managers: enough unless the RWX network shares it, which cannot be told: "
						+ sharing.from());
			}
			required = base;
		}
		else {
			required = base + (sharing.shared() ? 1 : 0);
			if (count.available() >= required) {
				return CheckOutcome.pass();
			}
		}
		String managers = instanceManagers + " new Longhorn instance manager IPs and " + backingImageManagers
				+ " new Longhorn backing image manager IPs";
		String reason = Boolean.TRUE.equals(sharing.shared()) ? "1 upgrade repository RWX volume plus " + managers
				: managers;
		List<ResourceRef> resources = new ArrayList<>();
		resources.add(setting.ref());
		if (count.pool() != null) {
			resources.add(count.pool());
		}
		if (Boolean.TRUE.equals(sharing.shared())) {
			resources.add(sharing.source().ref());
		}
		Map<String, Object> details = new LinkedHashMap<>();
		count.details(details, required);
		details.put("instanceManagers", instanceManagers);
		details.put("backingImageManagers", backingImageManagers);
		details.put("rwxSharesStorageNetwork", (sharing.shared() != null) ? sharing.shared() : "unknown");
		details.put("rwxSharesStorageNetworkFrom", sharing.from());
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, "insufficient-free-ips",
				"Storage network has insufficient free IPs for upgrade. " + count.describe(required),
				"Required free IPs are for " + reason + ". Expand the configured range, reduce excluded ranges, or "
						+ "free IPs used by workloads before upgrading. The range is edited in the Harvester UI "
						+ "(Advanced > Settings > storage-network > Edit) or with kubectl edit "
						+ "settings.harvesterhci.io storage-network; Harvester applies a new storage network only "
						+ "once every VM is stopped.",
				resources, details)));
	}

	private static String why(KindStatus status) {
		if (status.message() != null) {
			return status.message();
		}
		return status.present() ? "not synced yet" : "absent";
	}

	/**
	 * Whether RWX volumes use the storage network, and which object says so.
	 *
	 * @param shared whether they do; {@code null} when it cannot be told
	 * @param source the setting that says so, {@code null} when none does
	 * @param fromLonghorn whether that is Longhorn's setting (clusters before v1.8)
	 * @param from where the answer came from, in words
	 */
	record Sharing(Boolean shared, KubeObject source, boolean fromLonghorn, String from) {

		static Sharing read(ClusterSnapshot snapshot) {
			Optional<Map.Entry<KubeObject, String>> rwx = NetworkAddresses.setting(snapshot,
					NetworkAddresses.RWX_NETWORK);
			if (rwx.isPresent()) {
				KubeObject setting = rwx.get().getKey();
				boolean shared = NetworkAddresses.sharesStorageNetwork(setting,
						NetworkAddresses.json(setting, rwx.get().getValue()));
				return new Sharing(shared, setting, false, "setting rwx-network");
			}
			KindStatus longhorn = snapshot.status(WatchedKind.LONGHORN_SETTINGS);
			if (!longhorn.usable()) {
				return new Sharing(null, null, false, "setting rwx-network is not set and "
						+ WatchedKind.LONGHORN_SETTINGS.resource() + " is not in the snapshot");
			}
			Optional<KubeObject> setting = snapshot.objects(WatchedKind.LONGHORN_SETTINGS)
				.stream()
				.filter(s -> LONGHORN_NAMESPACE.equals(s.namespace()) && LONGHORN_RWX_SETTING.equals(s.name()))
				.findFirst();
			boolean shared = setting.flatMap(s -> s.value("value")).map(v -> "true".equals(String.valueOf(v)))
				.orElse(false);
			return new Sharing(shared, setting.orElse(null), true, "Longhorn setting " + LONGHORN_RWX_SETTING
					+ (setting.isPresent() ? "" : " (absent: false)"));
		}

	}

}
