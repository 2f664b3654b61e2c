package io.harvester.upgradereadiness.check.vms;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Nodes;
import io.harvester.upgradereadiness.check.Settings;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The two exemptions Harvester applies before looking at live migration (HV-17) and hot-plugged volumes (HV-18).
 * <ul>
 * <li>The restore-VM gate (Harvester v1.6.0+, {@code IsRestoreVM}): when the {@code upgrade-config} setting's
 * effective value ({@code value}, else {@code default}) is JSON with {@code restoreVM: true}, the upgrade shuts VMs
 * down and restores them, so nothing needs to migrate. Harvester refuses the upgrade when that JSON cannot be
 * decoded; we report that as a finding of its own and evaluate the VMs as if {@code restoreVM} were false. When the
 * setting or the whole settings kind is missing from the snapshot (support bundles older than support-bundle-kit
 * v0.0.26 hold none) restoreVM is taken as false, and every finding says so in its details.</li>
 * <li>A single non-witness node: there is nowhere to migrate to and Harvester shuts the VMs down anyway. Harvester
 * skips only when there is exactly one; with none (every node a witness) the VMs are evaluated.</li>
 * </ul>
 *
 * @param restoreVm whether restoreVM is true
 * @param from where the value came from, or why it was taken as false
 * @param setting the upgrade-config setting, {@code null} when missing
 * @param invalid why the setting could not be read, {@code null} when it could
 * @param unconfirmed whether the setting says restoreVM: true but the running version cannot confirm that it is
 * honoured, so it was taken as false
 */
record RestoreVmGate(boolean restoreVm, String from, KubeObject setting, String invalid, boolean unconfirmed) {

	RestoreVmGate(boolean restoreVm, String from, KubeObject setting, String invalid) {
		this(restoreVm, from, setting, invalid, false);
	}

	/** The gate of a running version that has no restoreVM option: the setting is not read. */
	static RestoreVmGate notHonoured(String why) {
		return new RestoreVmGate(false, why, null, null);
	}

	/**
	 * This gate when the running version cannot say whether restoreVM is honoured: a restoreVM: true is not taken
	 * into account (the VMs are evaluated), and {@code from} says why.
	 */
	RestoreVmGate unconfirmed(String why) {
		if (!this.restoreVm) {
			return this;
		}
		return new RestoreVmGate(false, "setting " + Settings.UPGRADE_CONFIG + " has restoreVM: true, but " + why,
				this.setting, this.invalid, true);
	}

	static final String RESTORE_VM_REASON = "upgrade-config has restoreVM: true: VMs are shut down and restored "
			+ "during the upgrade";

	static RestoreVmGate read(ClusterSnapshot snapshot) {
		if (!snapshot.usable(WatchedKind.SETTINGS)) {
			return new RestoreVmGate(false,
					WatchedKind.SETTINGS.resource() + " is not in the snapshot: restoreVM taken as false", null, null);
		}
		Optional<KubeObject> setting = Settings.find(snapshot, Settings.UPGRADE_CONFIG);
		if (setting.isEmpty()) {
			return new RestoreVmGate(false,
					"setting " + Settings.UPGRADE_CONFIG + " not found: restoreVM taken as false", null, null);
		}
		Optional<String> value = Settings.effective(snapshot, Settings.UPGRADE_CONFIG);
		if (value.isEmpty()) {
			return new RestoreVmGate(false,
					"setting " + Settings.UPGRADE_CONFIG + " is empty: restoreVM taken as false", setting.get(), null);
		}
		String invalid = null;
		Boolean restoreVm = null;
		try {
			JsonNode config = Settings.JSON.readTree(value.get());
			if (config == null || config.isMissingNode()) {
				invalid = "setting " + Settings.UPGRADE_CONFIG + " is not valid JSON: no content";
			}
			else if (config.isObject()) {
				JsonNode field = restoreVmField(config);
				if (field != null && !field.isNull()) {
					if (field.isBoolean()) {
						restoreVm = field.booleanValue();
					}
					else {
						invalid = "setting " + Settings.UPGRADE_CONFIG + " has restoreVM " + field
								+ ", expected true or false";
					}
				}
			}
			else if (!config.isNull()) {
				// a JSON null decodes in Go to the zero value (restoreVM false); anything else fails
				invalid = "setting " + Settings.UPGRADE_CONFIG + " is not a JSON object but "
						+ config.getNodeType().name().toLowerCase(Locale.ROOT);
			}
		}
		catch (JacksonException ex) {
			invalid = "setting " + Settings.UPGRADE_CONFIG + " is not valid JSON: " + shortMessage(ex);
		}
		if (invalid != null) {
			return new RestoreVmGate(false,
					"setting " + Settings.UPGRADE_CONFIG + " is invalid: restoreVM taken as false", setting.get(),
					invalid);
		}
		if (restoreVm == null) {
			return new RestoreVmGate(false,
					"setting " + Settings.UPGRADE_CONFIG + " has no restoreVM: taken as false", setting.get(), null);
		}
		return new RestoreVmGate(restoreVm, "setting " + Settings.UPGRADE_CONFIG, setting.get(), null);
	}

	/** Jackson's message without the location it appends, which names no source here. */
	private static String shortMessage(JacksonException ex) {
		String message = String.valueOf(ex.getOriginalMessage());
		for (String cut : List.of(" (start marker at", "\n")) {
			int at = message.indexOf(cut);
			if (at > 0) {
				message = message.substring(0, at);
			}
		}
		return message;
	}

	/**
	 * The restoreVM member; like Go's encoding/json, a key differing only in case counts when the exact one is
	 * absent.
	 */
	private static JsonNode restoreVmField(JsonNode config) {
		JsonNode exact = config.get("restoreVM");
		if (exact != null) {
			return exact;
		}
		for (String name : config.propertyNames()) {
			if (name.equalsIgnoreCase("restoreVM")) {
				return config.get(name);
			}
		}
		return null;
	}

	/**
	 * Applies both exemptions: skipped when restoreVM is true, or (unless the setting is invalid, which Harvester
	 * refuses whatever the node count) when there is exactly one non-witness node.
	 * @return the outcome to return at once, or empty when the VMs must be evaluated
	 */
	Optional<CheckOutcome> exemption(CheckDefinition check, List<KubeObject> nonWitnessNodes) {
		if (this.restoreVm) {
			return Optional.of(CheckOutcome.skipped(RESTORE_VM_REASON));
		}
		if (nonWitnessNodes.size() == 1) {
			if (this.invalid != null) {
				return Optional.of(CheckOutcome.of(List.of(invalidFinding(check).orElseThrow())));
			}
			return Optional.of(CheckOutcome.skipped("only 1 non-witness node (" + nonWitnessNodes.get(0).name()
					+ "): VMs cannot be live-migrated and are shut down during the upgrade"));
		}
		return Optional.empty();
	}

	/** The finding for an upgrade-config that cannot be read, if it cannot. */
	Optional<Finding> invalidFinding(CheckDefinition check) {
		if (this.invalid == null) {
			return Optional.empty();
		}
		return Optional.of(Finding.of(check, "upgrade-config-invalid", this.invalid,
				"Harvester refuses the upgrade while it cannot read this setting. Fix its JSON: kubectl edit "
						+ "settings.harvesterhci.io " + Settings.UPGRADE_CONFIG + " (field value; an empty value "
						+ "falls back to default), for example {\"imagePreloadOption\":{\"strategy\":{\"type\":"
						+ "\"sequential\"}},\"nodeUpgradeOption\":{\"strategy\":{\"mode\":\"auto\"}},"
						+ "\"restoreVM\":false,\"logReadyTimeout\":\"5\"}.",
				List.of(this.setting.ref()), Map.of("problem", this.invalid)));
	}

	/** Adds {@code restoreVM} and where it came from to a finding's details. */
	void describe(Map<String, Object> details) {
		details.put("restoreVM", this.restoreVm);
		details.put("restoreVMFrom", this.from);
	}

	static List<KubeObject> nonWitnessNodes(ClusterSnapshot snapshot) {
		return Nodes.nonWitness(snapshot.nodes());
	}

}
