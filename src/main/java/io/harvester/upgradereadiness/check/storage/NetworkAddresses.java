package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The free addresses of a Harvester network setting ({@code storage-network}, the {@code network} of
 * {@code rwx-network}), counted as the upgrade-helpers pre-check counts them (UH-18, UH-19): the hosts of the IPv4
 * range (without its network and broadcast address), minus the merged {@code exclude} ranges that fall inside it,
 * minus every allocation of the whereabouts IPPool that serves the range. Harvester's Setting webhook accepts IPv4
 * ranges only, so an IPv6 or unreadable range is a malformed setting here.
 * <p>
 * whereabouts names a pool after its range with {@code :} and {@code /} replaced by {@code -} (its
 * {@code normalizeRange}; Harvester's network attachments set no network name) and creates it at the first
 * allocation: a pool that does not exist yet has handed out no address.
 */
final class NetworkAddresses {

	static final String STORAGE_NETWORK = "storage-network";

	static final String RWX_NETWORK = "rwx-network";

	static final String SHARE_STORAGE_NETWORK = "share-storage-network";

	/** Where Harvester's whereabouts keeps its pools. */
	static final String POOL_NAMESPACE = "kube-system";

	private NetworkAddresses() {
	}

	/** A network setting's JSON value, or the malformed-field error the check reports. */
	static JsonNode json(KubeObject setting, String value) {
		try {
			JsonNode node = Settings.JSON.readTree(value);
			if (node == null || !node.isObject()) {
				throw new MalformedFieldException(setting.ref(), "value", "a JSON object", value);
			}
			return node;
		}
		catch (JacksonException ex) {
			throw new MalformedFieldException(setting.ref(), "value", "a JSON object", value);
		}
	}

	/** {@code share-storage-network} of an rwx-network value; absent or null is false, as for jq's {@code // false}. */
	static boolean sharesStorageNetwork(KubeObject setting, JsonNode rwx) {
		JsonNode share = rwx.get(SHARE_STORAGE_NETWORK);
		if (share == null || share.isNull()) {
			return false;
		}
		if (!share.isBoolean()) {
			throw new MalformedFieldException(setting.ref(), "value." + SHARE_STORAGE_NETWORK, "true or false",
					share.toString());
		}
		return share.booleanValue();
	}

	/**
	 * The range and excluded ranges of a network object ({@code {"vlan":…, "clusterNetwork":…, "range":…,
	 * "exclude":[…]}}).
	 * @param field where the object is in the setting's value, for errors
	 */
	static Network network(KubeObject setting, JsonNode network, String field) {
		JsonNode range = network.get("range");
		if (range == null || !range.isString() || range.stringValue().isBlank()) {
			throw new MalformedFieldException(setting.ref(), field + ".range", "an IPv4 CIDR",
					(range == null) ? network.toString() : range.toString());
		}
		Cidr cidr = Cidr.parse(range.stringValue()).orElseThrow(() -> new MalformedFieldException(setting.ref(),
				field + ".range", "an IPv4 CIDR", range.stringValue()));
		List<Cidr> excluded = new ArrayList<>();
		List<String> exclude = new ArrayList<>();
		JsonNode list = network.get("exclude");
		if (list != null && !list.isNull()) {
			if (!list.isArray()) {
				throw new MalformedFieldException(setting.ref(), field + ".exclude", "a list of IPv4 CIDRs",
						list.toString());
			}
			for (JsonNode item : list) {
				String text = item.isString() ? item.stringValue() : item.toString();
				excluded.add(Cidr.parse(text).orElseThrow(() -> new MalformedFieldException(setting.ref(),
						field + ".exclude[]", "an IPv4 CIDR", text)));
				exclude.add(text);
			}
		}
		return new Network(range.stringValue(), cidr, List.copyOf(exclude), List.copyOf(excluded));
	}

	/** The effective value of a Harvester setting, with the setting; empty when the setting is absent or empty. */
	static Optional<Map.Entry<KubeObject, String>> setting(ClusterSnapshot snapshot, String name) {
		return Settings.find(snapshot, name)
			.flatMap(s -> Settings.effective(snapshot, name).filter(v -> !v.isBlank() && !"null".equals(v.strip()))
				.map(v -> Map.entry(s, v)));
	}

	/** The whereabouts pool name for a range (whereabouts' {@code normalizeRange}). */
	static String poolName(String range) {
		String normalized = range.endsWith(":") ? range + "0" : range;
		return normalized.replace(':', '-').replace('/', '-');
	}

	/** Counts the addresses of a network; the pool kind must be usable. */
	static Count count(ClusterSnapshot snapshot, Network network) {
		String poolName = poolName(network.range());
		Optional<KubeObject> pool = snapshot.objects(WatchedKind.WHEREABOUTS_IP_POOLS)
			.stream()
			.filter(p -> POOL_NAMESPACE.equals(p.namespace()) && poolName.equals(p.name()))
			.findFirst();
		long allocated = pool.map(p -> (long) p.map("spec.allocations").size()).orElse(0L);
		return new Count(network, POOL_NAMESPACE + "/" + poolName, pool.map(KubeObject::ref).orElse(null),
				network.usable(), allocated);
	}

	/**
	 * A network's ranges.
	 *
	 * @param range the range as written
	 * @param cidr the range
	 * @param exclude the excluded ranges as written
	 * @param excluded the excluded ranges
	 */
	record Network(String range, Cidr cidr, List<String> exclude, List<Cidr> excluded) {

		/** Hosts of the range minus the excluded ranges, overlaps merged. */
		long usable() {
			long first = this.cidr.first() + 1;
			long last = this.cidr.last() - 1;
			if (last < first) {
				return 0;
			}
			List<long[]> cuts = new ArrayList<>();
			for (Cidr cut : this.excluded) {
				long from = Math.max(first, cut.first());
				long to = Math.min(last, cut.last());
				if (to >= from) {
					cuts.add(new long[] { from, to });
				}
			}
			cuts.sort(Comparator.comparingLong((long[] c) -> c[0]).thenComparingLong(c -> c[1]));
			long count = last - first + 1;
			long mergedFrom = -1;
			long mergedTo = -1;
			for (long[] cut : cuts) {
				if (mergedFrom < 0) {
					mergedFrom = cut[0];
					mergedTo = cut[1];
				}
				else if (cut[0] <= mergedTo + 1) {
					mergedTo = Math.max(mergedTo, cut[1]);
				}
				else {
					count -= mergedTo - mergedFrom + 1;
					mergedFrom = cut[0];
					mergedTo = cut[1];
				}
			}
			if (mergedFrom >= 0) {
				count -= mergedTo - mergedFrom + 1;
			}
			return count;
		}

	}

	/**
	 * The addresses of a network.
	 *
	 * @param network the network
	 * @param poolName {@code kube-system/<pool>}
	 * @param pool the pool, {@code null} when whereabouts has not created it yet
	 * @param usable hosts of the range minus the excluded ranges
	 * @param allocated the pool's allocations
	 */
	record Count(Network network, String poolName, ResourceRef pool, long usable, long allocated) {

		long available() {
			return this.usable - this.allocated;
		}

		/** The script's second line, word for word. */
		String describe(long required) {
			return "Range: " + this.network.range() + ", Whereabouts IPPool: " + this.poolName + ", usable IPs: "
					+ this.usable + ", allocated IPs: " + this.allocated + ", available IPs: " + available()
					+ ", required free IPs: " + required + ".";
		}

		void details(Map<String, Object> details, long required) {
			details.put("range", this.network.range());
			details.put("exclude", this.network.exclude());
			details.put("ipPool", this.poolName);
			details.put("ipPoolExists", this.pool != null);
			details.put("usable", this.usable);
			details.put("allocated", this.allocated);
			details.put("available", available());
			details.put("required", required);
		}

	}

	/**
	 * An IPv4 range.
	 *
	 * @param first the first address, as an unsigned 32-bit number
	 * @param last the last address
	 */
	record Cidr(long first, long last) {

		/** An IPv4 CIDR such as {@code 10.52.0.0/24}; any address inside the block is accepted, as the script does. */
		static Optional<Cidr> parse(String text) {
			int slash = text.indexOf('/');
			if (slash < 0) {
				return Optional.empty();
			}
			String[] octets = text.substring(0, slash).split("\\.", -1);
			if (octets.length != 4) {
				return Optional.empty();
			}
			try {
				long address = 0;
				for (String octet : octets) {
					if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
						return Optional.empty();
					}
					int value = Integer.parseInt(octet);
					if (value > 255) {
						return Optional.empty();
					}
					address = (address << 8) | value;
				}
				String prefixText = text.substring(slash + 1);
				if (prefixText.isEmpty() || prefixText.length() > 2 || !prefixText.chars().allMatch(Character::isDigit)) {
					return Optional.empty();
				}
				int prefix = Integer.parseInt(prefixText);
				if (prefix > 32) {
					return Optional.empty();
				}
				long size = 1L << (32 - prefix);
				long first = (address / size) * size;
				return Optional.of(new Cidr(first, first + size - 1));
			}
			catch (NumberFormatException ex) {
				return Optional.empty();
			}
		}

	}

}
