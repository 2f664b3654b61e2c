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
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.databind.JsonNode;

/**
 * A dedicated RWX network must have a free address (UH-19): since v1.8.0 the upgrade repository is served from an
 * RWX volume, whose share-manager pod takes an address from the RWX network. A shared RWX network is counted by
 * {@code storage-network-ips}.
 * <p>
 * The pre-check script also fails on a dedicated network without a range ({@code "network":{}}); Harvester writes
 * that value itself when no dedicated network is configured (RWX volumes then use the management network), so we
 * skip it instead.
 */
public final class RwxNetworkIpsCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("rwx-network-ips",
			"Dedicated RWX network has a free address", "storage", Severity.ERROR, true,
			"When setting rwx-network defines a dedicated network (share-storage-network false, a network with a "
					+ "range), its range minus network, broadcast and excluded addresses, minus the allocations of "
					+ "its whereabouts IPPool (kube-system), must leave at least one free address for the upgrade "
					+ "repository's RWX volume.",
			List.of(WatchedKind.SETTINGS),
			"upgrade-helpers pre-check (UH-19); not in the Upgrade webhook; the upgrade repository is an RWX volume "
					+ "since v1.8.0",
			null, List.of(WatchedKind.WHEREABOUTS_IP_POOLS));

	/** The upgrade repository's RWX volume. */
	static final long REQUIRED = 1;

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		Optional<Map.Entry<KubeObject, String>> rwx = NetworkAddresses.setting(snapshot, NetworkAddresses.RWX_NETWORK);
		if (rwx.isEmpty()) {
			return CheckOutcome.skipped("setting rwx-network is not set (Harvester before v1.8.0 has none): no "
					+ "dedicated RWX network");
		}
		KubeObject setting = rwx.get().getKey();
		JsonNode value = NetworkAddresses.json(setting, rwx.get().getValue());
		if (NetworkAddresses.sharesStorageNetwork(setting, value)) {
			return CheckOutcome.skipped("rwx-network shares the storage network: its address is counted by "
					+ "storage-network-ips");
		}
		JsonNode network = value.get("network");
		if (network == null || network.isNull() || (network.isObject() && network.isEmpty())) {
			return CheckOutcome.skipped("rwx-network defines no dedicated network: RWX volumes use the management "
					+ "network");
		}
		if (!network.isObject()) {
			throw new MalformedFieldException(setting.ref(), "value.network",
					"an object", network.toString());
		}
		NetworkAddresses.Network parsed = NetworkAddresses.network(setting, network, "value.network");
		KindStatus pools = snapshot.status(WatchedKind.WHEREABOUTS_IP_POOLS);
		if (!pools.usable()) {
			return CheckOutcome.unknown("a dedicated RWX network is set, and counting its addresses needs "
					+ WatchedKind.WHEREABOUTS_IP_POOLS.resource() + ": "
					+ ((pools.message() != null) ? pools.message() : (pools.present() ? "not synced yet" : "absent")));
		}
		NetworkAddresses.Count count = NetworkAddresses.count(snapshot, parsed);
		if (count.available() >= REQUIRED) {
			return CheckOutcome.pass();
		}
		List<ResourceRef> resources = new ArrayList<>();
		resources.add(setting.ref());
		if (count.pool() != null) {
			resources.add(count.pool());
		}
		Map<String, Object> details = new LinkedHashMap<>();
		count.details(details, REQUIRED);
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, "insufficient-free-ips",
				"Dedicated RWX network has insufficient free IPs for upgrade. " + count.describe(REQUIRED),
				"Required free IPs are for 1 upgrade repository RWX volume. Expand the configured range, reduce "
						+ "excluded ranges, or free IPs used by workloads before upgrading: Harvester UI (Advanced > "
						+ "Settings > rwx-network > Edit) or kubectl edit settings.harvesterhci.io rwx-network.",
				resources, details)));
	}

}
