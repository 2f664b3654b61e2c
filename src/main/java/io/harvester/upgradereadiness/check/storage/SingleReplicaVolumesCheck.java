package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Volumes with a single replica (HV-16): draining the node that holds the replica takes the volume down, and a
 * detached one is at the mercy of that one disk while the node is upgraded.
 * <p>
 * Harvester's webhook has refused them since v1.3.0 (harvester/harvester#4467), then only while active
 * ({@code creating}, {@code attaching}, {@code attached}); since v1.5.0 (#7323, PR #7361) every single-replica
 * volume blocks, detached or not, unless the Upgrade carries the annotation
 * {@code harvesterhci.io/skipSingleReplicaDetachedVol}, which brings back the active-only rule. Our switch
 * {@code skipSingleReplicaDetachedVol} plays the annotation's part; its findings name who set it. On a cluster of
 * exactly one Node (all Nodes counted, witness included) Harvester skips the check: there every volume has one
 * replica. Harvester reports the volumes in one message, as {@code pvcNamespace/pvcName}; we give one finding per
 * volume with Harvester's sentence, naming the PVC (or the volume, when Longhorn knows no PVC for it).
 */
public final class SingleReplicaVolumesCheck implements Check {

	/** The states in which Harvester counts a volume as active (HV-16). */
	static final Set<String> ACTIVE_STATES = Set.of("creating", "attaching", "attached");

	static final CheckDefinition DEFINITION = new CheckDefinition("single-replica-volumes",
			"No single-replica Longhorn volumes", "storage", Severity.ERROR, true,
			"No Longhorn volume may have spec.numberOfReplicas 1, attached or detached; with the switch "
					+ "skipSingleReplicaDetachedVol (Harvester's Upgrade annotation "
					+ "harvesterhci.io/skipSingleReplicaDetachedVol) only active ones (creating, attaching, attached) "
					+ "block. Not applied on a single-node cluster.",
			List.of(WatchedKind.LONGHORN_VOLUMES, WatchedKind.NODES),
			"Upgrade webhook since v1.3.0 (HV-16; v1.3.x-v1.4.x refuse active volumes only, detached ones too "
					+ "since v1.5.0, harvester/harvester#7323)",
			"v1.3.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<KubeObject> nodes = snapshot.nodes();
		if (nodes.size() == 1) {
			return CheckOutcome.skipped("single-node cluster: " + nodes.get(0).name() + " is the only node "
					+ "(witness included); Harvester does not check single-replica volumes on a single node");
		}
		Switch<Boolean> activeOnly = context.options().skipSingleReplicaDetachedVol();
		boolean skipDetached = Boolean.TRUE.equals(activeOnly.value());
		List<Finding> findings = new ArrayList<>();
		for (KubeObject volume : snapshot.objects(WatchedKind.LONGHORN_VOLUMES)) {
			if (LonghornVolumes.numberOfReplicas(volume).filter(n -> n == 1).isEmpty()) {
				continue;
			}
			String state = LonghornVolumes.state(volume).orElse(null);
			if (!skipDetached) {
				findings.add(Finding.of(DEFINITION, "single-replica-volume",
						"Following PVCs with single-replica volume, even the volume is detached, upgrade may have "
								+ "potential data integrity concerns: " + LonghornVolumes.pvcOrVolume(volume),
						remediation(volume, false), LonghornVolumes.resources(volume),
						LonghornVolumes.details(volume)));
			}
			else if (state != null && ACTIVE_STATES.contains(state)) {
				Map<String, Object> details = LonghornVolumes.details(volume);
				details.put("skipSingleReplicaDetachedVol", true);
				details.put("setBy", activeOnly.setBy());
				findings.add(Finding.of(DEFINITION, "active-single-replica-volume",
						"Following PVCs with active single-replica volume, please consider shutdown the "
								+ "corresponding workload before upgrade: " + LonghornVolumes.pvcOrVolume(volume),
						remediation(volume, true), LonghornVolumes.resources(volume), details));
			}
		}
		return CheckOutcome.of(findings);
	}

	private static String remediation(KubeObject volume, boolean active) {
		String raise = "give the volume more replicas (Longhorn UI > Volume > Update Replicas Count, or kubectl -n "
				+ volume.namespace() + " patch volumes.longhorn.io " + volume.name()
				+ " --type merge -p '{\"spec\":{\"numberOfReplicas\":3}}', at most one per node)";
		if (active) {
			return "Stop the workload using the volume (for a VM: stop the VM) so that the volume is detached, or "
					+ raise + ".";
		}
		return "Either " + raise + ", or, if the volume may stay unprotected during the upgrade, detach it (stop "
				+ "its workload) and upgrade with skipSingleReplicaDetachedVol (the Upgrade annotation "
				+ "harvesterhci.io/skipSingleReplicaDetachedVol: \"true\"), which lets detached single-replica "
				+ "volumes through.";
	}

}
