package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
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
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Attached Longhorn volumes that nothing runs on (UH-12, harvester/harvester#3648): a volume left attached after
 * its VM stopped can keep a node from draining during the upgrade.
 * <p>
 * From the pre-check script: an {@code attached} volume whose {@code status.kubernetesStatus.workloadsStatus} is
 * empty, or none of whose workloads has {@code podStatus} {@code Running}. The script first flagged a volume as
 * soon as <em>one</em> workload was not running, which raised a false alarm after every VM live migration (the
 * source pod stays listed as {@code Succeeded}, #8974); like the fixed script, one running workload is enough.
 * A warning, not a blocker: Harvester's upgrade does not run the script, and a volume can be attached with no
 * workload on purpose for a while (a backup, a snapshot, an image export).
 */
public final class StaleAttachedVolumesCheck implements Check {

	static final CheckDefinition DEFINITION = new CheckDefinition("stale-attached-volumes",
			"No stale attached Longhorn volumes", "storage", Severity.WARNING, false,
			"An attached Longhorn volume should have at least one workload (status.kubernetesStatus.workloadsStatus) "
					+ "whose pod is Running; one attached with no workload, or with none running, may be stale and "
					+ "keep a node from draining.",
			List.of(WatchedKind.LONGHORN_VOLUMES),
			"upgrade-helpers pre-check (UH-12, harvester/harvester#3648, #8974); not in the Upgrade webhook", null);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject volume : snapshot.objects(WatchedKind.LONGHORN_VOLUMES)) {
			if (!LonghornVolumes.STATE_ATTACHED.equals(LonghornVolumes.state(volume).orElse(null))) {
				continue;
			}
			List<LonghornVolumes.Workload> workloads = LonghornVolumes.workloads(volume);
			if (workloads.stream().anyMatch(LonghornVolumes.Workload::isRunning)) {
				continue;
			}
			Map<String, Object> details = LonghornVolumes.details(volume);
			details.put("workloads", workloads.stream().map(LonghornVolumes.Workload::describe).toList());
			if (workloads.isEmpty()) {
				findings.add(Finding.of(DEFINITION, "attached-without-workload",
						"Volume " + volume.name() + " is attached but has no workload.", remediation(volume),
						LonghornVolumes.resources(volume), details));
			}
			else {
				findings.add(Finding.of(DEFINITION, "attached-workloads-not-running",
						"Volume " + volume.name() + " is attached, but none of its workloads are running.",
						remediation(volume), withPods(volume, workloads), details));
			}
		}
		return CheckOutcome.of(findings);
	}

	/** The volume, its PVC and the pods Longhorn lists for it (in the PVC's namespace). */
	private static List<ResourceRef> withPods(KubeObject volume, List<LonghornVolumes.Workload> workloads) {
		List<ResourceRef> resources = LonghornVolumes.resources(volume);
		String namespace = volume.string("status.kubernetesStatus.namespace").orElse(null);
		workloads.stream()
			.filter(w -> w.podName() != null)
			.map(w -> new ResourceRef("v1", "Pod", namespace, w.podName()))
			.sorted(ResourceRef.ORDER)
			.forEach(resources::add);
		return resources;
	}

	private static String remediation(KubeObject volume) {
		return "Find out who keeps the volume attached: kubectl -n " + volume.namespace()
				+ " get volumeattachments.longhorn.io " + volume.name() + " -o yaml (its attachment tickets) and "
				+ "kubectl -n " + volume.namespace() + " get volumes.longhorn.io " + volume.name()
				+ " -o jsonpath='{.status.kubernetesStatus}'. Wait for a running backup, snapshot or image export to "
				+ "finish; delete pods of the volume's workload that have finished; if nothing uses the volume, "
				+ "detach it from the Longhorn UI before upgrading.";
	}

}
