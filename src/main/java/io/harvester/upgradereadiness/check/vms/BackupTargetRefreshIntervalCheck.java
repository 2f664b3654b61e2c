package io.harvester.upgradereadiness.check.vms;

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
import io.harvester.upgradereadiness.check.VersionGate;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * On Harvester v1.4.1 and v1.4.2 only, a configured backup target must have a non-zero
 * {@code refreshIntervalInSeconds} (UH-17): the pre-check script refuses the upgrade from those two versions when
 * the setting {@code backup-target} has a {@code type} and its refresh interval (Longhorn's backup-target poll
 * interval, which Harvester applies only when positive) is 0 or absent. On every other version the rule is
 * deliberately skipped; when the running version cannot be read it is applied, and the finding says so.
 * <p>
 * The setting's value is never copied into a finding: on S3 targets it held access keys until Harvester verified
 * them; only {@code type} and the interval are.
 */
public final class BackupTargetRefreshIntervalCheck implements Check {

	static final String BACKUP_TARGET = "backup-target";

	/** v1.4.1 and v1.4.2. */
	static final VersionGate GATE = VersionGate.onCurrent("v1.4.1", "v1.4.3");

	static final String MESSAGE = "The refreshIntervalInSeconds is either 0 or empty. Please configure it to a "
			+ "bigger integer like 300 before proceeding.";

	static final CheckDefinition DEFINITION = new CheckDefinition("backup-target-refresh-interval",
			"Backup target has a refresh interval", "vms", Severity.ERROR, true,
			"Only when the running Harvester is v1.4.1 or v1.4.2: a backup target that is configured (setting "
					+ "backup-target has a type) must have a non-zero refreshIntervalInSeconds. Deliberately skipped "
					+ "on other versions.",
			List.of(WatchedKind.SETTINGS),
			"upgrade-helpers pre-check, only when the current version is v1.4.1 or v1.4.2 (UH-17); not in the "
					+ "Upgrade webhook",
			null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		VersionGate.Decision decision = GATE.decide(context.versions());
		if (decision == VersionGate.Decision.DOES_NOT_APPLY) {
			return CheckOutcome.skipped("the running version " + context.versions().current()
					+ " is not v1.4.1 or v1.4.2, the only versions this rule is for (" + GATE.describe() + ")");
		}
		Optional<KubeObject> setting = Settings.find(snapshot, BACKUP_TARGET);
		if (setting.isEmpty()) {
			return CheckOutcome.unknown("no setting " + BACKUP_TARGET + " in the snapshot");
		}
		Optional<String> value = Settings.effective(snapshot, BACKUP_TARGET);
		if (value.isEmpty() || value.get().isBlank()) {
			return CheckOutcome.pass();
		}
		JsonNode target;
		try {
			target = Settings.JSON.readTree(value.get());
		}
		catch (JacksonException ex) {
			throw new MalformedFieldException(setting.get().ref(), "value", "a JSON object", "not JSON");
		}
		if (target == null || target.isNull()) {
			return CheckOutcome.pass();
		}
		if (!target.isObject()) {
			throw new MalformedFieldException(setting.get().ref(), "value", "a JSON object", "not a JSON object");
		}
		JsonNode type = target.get("type");
		if (type == null || type.isNull() || (type.isString() && type.stringValue().isEmpty())) {
			return CheckOutcome.pass();
		}
		JsonNode interval = target.get("refreshIntervalInSeconds");
		if (interval != null && !interval.isNull() && !interval.isIntegralNumber()) {
			throw new MalformedFieldException(setting.get().ref(), "value.refreshIntervalInSeconds", "an integer",
					interval.toString());
		}
		if (interval != null && !interval.isNull() && interval.longValue() != 0) {
			return CheckOutcome.pass();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("type", type.isString() ? type.stringValue() : type.toString());
		details.put("refreshIntervalInSeconds", (interval == null || interval.isNull()) ? null : interval.longValue());
		details.put("current", context.versions().current());
		GATE.assumption(context.versions()).ifPresent(why -> details.put("versionAssumed", why));
		String message = MESSAGE + GATE.assumption(context.versions()).map(why -> " (" + why + ")").orElse("");
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, "refresh-interval-not-set", message,
				"Set the backup target's refresh interval: Harvester UI > Advanced > Settings > backup-target > "
						+ "Edit Setting, Refresh Interval 300, Save; or kubectl edit settings.harvesterhci.io "
						+ BACKUP_TARGET + " and set \"refreshIntervalInSeconds\":300 in its value.",
				List.of(setting.get().ref()), details)));
	}

}
