package io.harvester.upgradereadiness.check.nodes;

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
import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Every node's clock must be synchronised before an upgrade: etcd, certificates and Longhorn all suffer when the
 * nodes disagree on the time. Asked for in harvester/harvester#3067 and the open upgrade epic #4926 ("timesync
 * status on all nodes"); Harvester, its pre-check script and the Upgrade Manager leave it to the operator.
 * <p>
 * Harvester's node-manager writes what systemd-timesyncd reports into the node annotation
 * {@code node.harvesterhci.io/ntp-service}, JSON such as
 * {@code {"ntpSyncStatus":"synced","currentNtpServers":"0.suse.pool.ntp.org"}}; {@code ntpSyncStatus} is
 * {@code synced}, {@code unsynced} (NTP enabled, clock not synchronised) or {@code disabled} (NTP off). Only
 * {@code unsynced} is known to be wrong and blocks; a node that is not known to be synchronised (NTP disabled, no
 * annotation, an annotation we cannot read) is a warning, as its clock may be right and only a person can tell.
 */
public final class NodeTimeSyncedCheck implements Check {

	static final String ANNOTATION = "node.harvesterhci.io/ntp-service";

	static final CheckDefinition DEFINITION = new CheckDefinition("node-time-synced", "Node clocks are synchronised",
			"nodes", Severity.ERROR, true,
			"Every Node's node.harvesterhci.io/ntp-service annotation (written by Harvester's node-manager) must "
					+ "report ntpSyncStatus synced. A node that reports unsynced blocks the upgrade; a node whose "
					+ "time sync cannot be confirmed (NTP disabled, no annotation, an unreadable annotation) is a "
					+ "non-blocking warning.",
			List.of(WatchedKind.NODES),
			"Ours: asked for in harvester/harvester#3067 and the upgrade epic #4926, checked by hand in Harvester's "
					+ "upgrade docs; no Harvester component enforces it",
			null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject node : snapshot.nodes()) {
			Optional<String> annotation = node.annotation(ANNOTATION);
			Map<String, Object> details = new LinkedHashMap<>();
			String status = null;
			String unreadable = null;
			if (annotation.isEmpty()) {
				unreadable = "it has no " + ANNOTATION + " annotation";
			}
			else {
				try {
					JsonNode value = Settings.JSON.readTree(annotation.get());
					JsonNode sync = (value != null && value.isObject()) ? value.get("ntpSyncStatus") : null;
					if (sync != null && sync.isString() && !sync.stringValue().isEmpty()) {
						status = sync.stringValue();
						JsonNode servers = value.get("currentNtpServers");
						if (servers != null && servers.isString()) {
							details.put("currentNtpServers", servers.stringValue());
						}
					}
					else {
						unreadable = "its " + ANNOTATION + " annotation has no ntpSyncStatus";
					}
				}
				catch (JacksonException ex) {
					unreadable = "its " + ANNOTATION + " annotation is not JSON";
				}
				details.put("annotation", annotation.get());
			}
			details.put("ntpSyncStatus", status);
			if ("synced".equals(status)) {
				continue;
			}
			String name = node.name();
			if ("unsynced".equals(status)) {
				findings.add(Finding.of(DEFINITION, "time-not-synced",
						"node " + name + " reports ntpSyncStatus unsynced: its clock is not synchronised",
						"Fix time synchronisation on " + name + " before upgrading: check the NTP servers in the "
								+ "ntp-servers setting (Advanced > Settings > ntp-servers, or kubectl get "
								+ "settings.harvesterhci.io ntp-servers -o yaml) are reachable from the node, then on "
								+ "the node run timedatectl timesync-status and systemctl restart systemd-timesyncd "
								+ "until timedatectl shows System clock synchronized: yes.",
						List.of(node.ref()), details));
				continue;
			}
			String why = (unreadable != null) ? unreadable
					: "disabled".equals(status) ? "NTP is disabled on it" : "it reports ntpSyncStatus " + status;
			findings.add(Finding.of(DEFINITION, "time-sync-unconfirmed", Severity.WARNING, false,
					"node " + name + ": time sync could not be confirmed (" + why + ")",
					"Check the clock of " + name + " by hand: on the node, timedatectl must show System clock "
							+ "synchronized: yes and the time must match the other nodes'. To have Harvester keep it "
							+ "synchronised, set NTP servers in the ntp-servers setting (Advanced > Settings > "
							+ "ntp-servers); node-manager then reports the state in the " + ANNOTATION
							+ " annotation.",
					List.of(node.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
