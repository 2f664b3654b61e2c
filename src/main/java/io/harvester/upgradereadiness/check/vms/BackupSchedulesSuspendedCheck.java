package io.harvester.upgradereadiness.check.vms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * Every VM backup/snapshot schedule must be suspended (Harvester webhook, HV-10, harvester/harvester#6754).
 * <p>
 * Harvester reads {@code status.suspended}, which the controller sets once it has suspended the schedule, not
 * {@code spec.suspend}, which the user sets: a schedule whose suspension was just requested still blocks until the
 * controller confirms it, and an absent {@code status.suspended} counts as running. An <em>active but idle</em>
 * schedule blocks as well, even if its next run is hours away (harvester/harvester#6848, a complaint Harvester has
 * not acted on): we keep that rule, since a schedule firing during the upgrade would start a backup that blocks live
 * migration.
 */
public final class BackupSchedulesSuspendedCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("backup-schedules-suspended",
			"VM backup schedules are suspended", "vms", Severity.ERROR, true,
			"Every ScheduleVMBackup (schedulevmbackups.harvesterhci.io, all namespaces; backup and snapshot "
					+ "schedules alike) must have status.suspended: true. An absent status.suspended counts as "
					+ "running, and an active schedule blocks even while it is idle (harvester/harvester#6848).",
			List.of(WatchedKind.VM_BACKUP_SCHEDULES), "Upgrade webhook since v1.4.0 (HV-10, harvester/harvester#6754)",
			"v1.4.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject schedule : snapshot.objects(WatchedKind.VM_BACKUP_SCHEDULES)) {
			if (schedule.bool("status.suspended").orElse(false)) {
				continue;
			}
			boolean requested = schedule.bool("spec.suspend").orElse(false);
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("suspend", requested);
			details.put("suspended", schedule.bool("status.suspended").orElse(null));
			schedule.string("spec.cron").ifPresent(cron -> details.put("cron", cron));
			schedule.string("spec.vmbackup.type").ifPresent(type -> details.put("type", type));
			schedule.string("spec.vmbackup.source.name").ifPresent(vm -> details.put("vm", vm));
			String patch = "kubectl patch schedulevmbackups.harvesterhci.io -n " + schedule.namespace() + " "
					+ schedule.name() + " --type merge -p '{\"spec\":{\"suspend\":%s}}'";
			String remediation = requested
					? "Suspension is requested (spec.suspend: true) but the controller has not confirmed it "
							+ "(status.suspended). Check the harvester pods' logs and kubectl get "
							+ "schedulevmbackups.harvesterhci.io -n " + schedule.namespace() + " " + schedule.name()
							+ " -o yaml (status.conditions), then retry."
					: "Suspend the schedule in the Harvester UI or with "
							+ patch.formatted("true") + ", and resume it after the upgrade: " + patch.formatted("false")
							+ ".";
			findings.add(Finding.of(DEFINITION, "schedule-not-suspended",
					"please suspend all backup/snapshot schedule, for example " + schedule.ref().qualifiedName()
							+ " is running",
					remediation, List.of(schedule.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
