package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Longhorn cannot upgrade a volume of its v2 data engine in place: every v2 volume must be detached before Longhorn
 * itself is upgraded (Longhorn's upgrade guide; longhorn/longhorn#13565; a live upgrade is planned for v1.12 to
 * v1.13). Every Harvester minor ships a new Longhorn minor (v1.7 Longhorn 1.10, v1.8 1.11, v1.9 1.12), a patch
 * upgrade keeps it; so the rule applies when the upgrade changes Harvester's {@code MAJOR.MINOR}, is deliberately
 * skipped for a patch upgrade, and applies, saying so, when either version cannot be compared. Harvester neither
 * checks nor detaches v2 volumes; its upgrade script only waits for the instance managers.
 */
public final class LonghornV2VolumesDetachedCheck implements Check {

	static final String V2 = "v2";

	static final CheckDefinition DEFINITION = new CheckDefinition("longhorn-v2-volumes-detached",
			"Longhorn v2 volumes are detached", "storage", Severity.ERROR, true,
			"When the upgrade changes Harvester's minor version, and with it Longhorn's, no Longhorn volume with "
					+ "spec.dataEngine v2 may be attached (any state but detached): Longhorn upgrades only detached "
					+ "v2 volumes. Skipped for a patch upgrade; applied, saying so, when the versions cannot be "
					+ "compared.",
			List.of(WatchedKind.LONGHORN_VOLUMES),
			"Longhorn's upgrade requirement (every v2 volume detached before Longhorn is upgraded, "
					+ "longhorn/longhorn#13565); not checked by Harvester; ours",
			null, List.of(WatchedKind.SETTINGS, WatchedKind.VERSIONS));

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		HarvesterVersions versions = context.versions();
		Optional<Boolean> minorChanges = versions.minorChanges();
		if (minorChanges.isPresent() && !minorChanges.get()) {
			return CheckOutcome.skipped("a patch upgrade (" + versions.current() + " to " + versions.target()
					+ ") keeps Longhorn's minor version: v2 volumes may stay attached");
		}
		String assumed = minorChanges.isEmpty() ? assumption(versions) : null;
		String upgrade = minorChanges.isPresent()
				? versions.current() + " to " + versions.target() + " changes the minor version of Harvester, "
						+ "and so of Longhorn"
				: assumed;
		List<Finding> findings = new ArrayList<>();
		for (KubeObject volume : snapshot.objects(WatchedKind.LONGHORN_VOLUMES)) {
			if (!V2.equals(volume.string("spec.dataEngine").orElse(null))) {
				continue;
			}
			Optional<String> state = LonghornVolumes.state(volume);
			if (state.isPresent() && LonghornVolumes.STATE_DETACHED.equals(state.get())) {
				continue;
			}
			List<LonghornVolumes.Workload> workloads = LonghornVolumes.workloads(volume);
			Map<String, Object> details = LonghornVolumes.details(volume);
			details.put("dataEngine", V2);
			details.put("workloads", workloads.stream().map(LonghornVolumes.Workload::describe).toList());
			details.put("current", versions.current());
			details.put("target", versions.target());
			if (assumed != null) {
				details.put("versionAssumed", assumed);
			}
			findings.add(Finding.of(DEFINITION, "v2-volume-attached",
					"Volume " + LonghornVolumes.describe(volume) + " uses the v2 data engine and is "
							+ state.orElse("in no known state")
							+ ": Longhorn upgrades v2 volumes only when they are detached (" + upgrade + ")",
					"Stop what uses the volume before upgrading" + workloadNames(workloads)
							+ ": a VM in the Harvester UI (Virtual Machines > ⋮ > Stop) or with virtctl stop <vm> -n "
							+ "<namespace>; a volume attached by hand in the Longhorn UI (Volume > Detach). Check with "
							+ "kubectl -n " + volume.namespace() + " get volumes.longhorn.io " + volume.name()
							+ " -o jsonpath='{.status.state}' that it is detached, and start the VM again after the "
							+ "upgrade.",
					LonghornVolumes.resources(volume), details));
		}
		return CheckOutcome.of(findings);
	}

	private static String assumption(HarvesterVersions versions) {
		String why = versions.currentUnknownReason().orElseGet(() -> (versions.target() == null)
				? "there is no target version" : "the target " + versions.target() + " is a development build");
		return why + ", so the upgrade is taken to change Longhorn's minor version";
	}

	private static String workloadNames(List<LonghornVolumes.Workload> workloads) {
		List<String> names = workloads.stream()
			.map(w -> (w.workloadName() != null) ? w.workloadName() : w.podName())
			.filter(n -> n != null)
			.distinct()
			.toList();
		return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
	}

}
