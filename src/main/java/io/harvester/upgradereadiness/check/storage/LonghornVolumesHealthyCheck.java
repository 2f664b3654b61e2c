package io.harvester.upgradereadiness.check.storage;

import java.util.ArrayList;
import java.util.HashMap;
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
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Longhorn volumes must be healthy enough for nodes to be drained one after the other.
 * <p>
 * Three rules. <b>Degraded</b> is Harvester's own (webhook HV-07, since v1.1/v1.2): any volume whose
 * {@code status.robustness} is {@code degraded} refuses the upgrade, but only on clusters with 3 Nodes or more,
 * counting every core Node, witness included. On 1- and 2-node clusters Harvester does not apply it: with the
 * default 3 replicas on fewer than 3 nodes every volume is degraded for good. We keep that exemption for this rule
 * only, and say so: every finding's {@code details} carry {@code degradedRule}, and when nothing else is found the
 * check is skipped with a reason that says the degraded rule was not applied, how many degraded volumes it would
 * have named, and that the other rules ran and found nothing (a PASS could not carry that sentence).
 * <p>
 * <b>Faulted</b> and <b>detached replicas</b> come from the pre-check script (UH-11), which fails on any volume
 * that is not healthy; the webhook ignores {@code faulted} (a volume with no usable replica, whose data the
 * upgrade cannot protect), so we add it, on any cluster size. A detached volume's robustness says nothing (it is
 * {@code unknown}), so as in the script its replicas ({@code replicas.longhorn.io} labelled
 * {@code longhornvolume=<volume>}, same namespace) are counted against {@code spec.numberOfReplicas}. Unlike the
 * script we count them whatever the robustness says, and we read the volumes themselves rather than walking the
 * engines (a volume without an engine is still checked). Volumes with one replica are left to
 * {@code single-replica-volumes}, as the script does (harvester/harvester#7655 complained that detached volumes
 * were reported as degraded; this rule is the script's answer).
 */
public final class LonghornVolumesHealthyCheck implements Check {

	/** Harvester applies the degraded rule from this many core Nodes on (HV-07). */
	static final int MIN_NODES_FOR_DEGRADED_RULE = 3;

	static final CheckDefinition DEFINITION = new CheckDefinition("longhorn-volumes-healthy",
			"Longhorn volumes are healthy", "storage", Severity.ERROR, true,
			"No Longhorn volume (volumes.longhorn.io, all namespaces; Harvester's are in longhorn-system) may be "
					+ "degraded (only on clusters with 3 or more Nodes, witness included, as in Harvester) or faulted, "
					+ "and every detached volume with more than one replica must have as many replicas "
					+ "(replicas.longhorn.io labelled longhornvolume=<volume>) as spec.numberOfReplicas.",
			List.of(WatchedKind.LONGHORN_VOLUMES, WatchedKind.LONGHORN_REPLICAS, WatchedKind.NODES),
			"Upgrade webhook since v1.1.0 for degraded volumes on 3+ nodes (HV-07); faulted and detached volumes "
					+ "in upgrade-helpers pre-check (UH-11)",
			"v1.1.0");

	/** The rules, in the order findings are reported. */
	enum Rule {

		DEGRADED("volume-degraded"), FAULTED("volume-faulted"), DETACHED_MISSING_REPLICAS(
				"detached-volume-missing-replicas");

		final String id;

		Rule(String id) {
			this.id = id;
		}

	}

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		int nodes = snapshot.nodes().size();
		boolean degradedRuleApplies = nodes >= MIN_NODES_FOR_DEGRADED_RULE;
		String exemption = degradedRuleApplies ? null : "not applied: the cluster has " + nodes + " node"
				+ ((nodes == 1) ? "" : "s") + " (witness included), Harvester checks degraded volumes only from "
				+ MIN_NODES_FOR_DEGRADED_RULE + " nodes on";
		ReplicaIndex replicas = new ReplicaIndex(snapshot);
		Map<Rule, List<Finding>> findings = new LinkedHashMap<>();
		for (Rule rule : Rule.values()) {
			findings.put(rule, new ArrayList<>());
		}
		int exemptDegraded = 0;
		for (KubeObject volume : snapshot.objects(WatchedKind.LONGHORN_VOLUMES)) {
			String robustness = LonghornVolumes.robustness(volume).orElse(null);
			if (LonghornVolumes.ROBUSTNESS_DEGRADED.equals(robustness)) {
				if (degradedRuleApplies) {
					findings.get(Rule.DEGRADED).add(degraded(volume, nodes));
				}
				else {
					exemptDegraded++;
				}
			}
			if (LonghornVolumes.ROBUSTNESS_FAULTED.equals(robustness)) {
				findings.get(Rule.FAULTED).add(faulted(volume, exemption));
			}
			missingReplicas(volume, replicas, exemption).ifPresent(findings.get(Rule.DETACHED_MISSING_REPLICAS)::add);
		}
		List<Finding> all = findings.values().stream().flatMap(List::stream).toList();
		if (all.isEmpty() && !degradedRuleApplies) {
			return CheckOutcome.skipped("degraded-volume rule " + exemption + " ("
					+ ((exemptDegraded == 1) ? "1 degraded volume" : exemptDegraded + " degraded volumes")
					+ " not counted); the faulted and detached-replica rules ran and found nothing");
		}
		return CheckOutcome.of(all);
	}

	private static Finding degraded(KubeObject volume, int nodes) {
		Map<String, Object> details = LonghornVolumes.details(volume);
		details.put("nodes", nodes);
		return Finding.of(DEFINITION, Rule.DEGRADED.id,
				"volume " + LonghornVolumes.describe(volume) + " is degraded, please check all volumes are healthy",
				"Harvester refuses the upgrade while a volume is degraded: draining a node could take its last "
						+ "healthy replica. Let Longhorn rebuild the replicas (Longhorn UI > Volume, or kubectl -n "
						+ volume.namespace() + " get replicas.longhorn.io -l " + LonghornVolumes.VOLUME_LABEL + "="
						+ volume.name() + "); if a rebuild cannot be scheduled, check that enough nodes and disks "
						+ "are schedulable (kubectl -n longhorn-system get nodes.longhorn.io) or lower the volume's "
						+ "replica count.",
				LonghornVolumes.resources(volume), details);
	}

	private static Finding faulted(KubeObject volume, String exemption) {
		return Finding.of(DEFINITION, Rule.FAULTED.id,
				"volume " + LonghornVolumes.describe(volume) + " is faulted: none of its replicas is usable",
				"The volume's data is not available from any replica. Do not upgrade before it is recovered: look "
						+ "at kubectl -n " + volume.namespace() + " describe volumes.longhorn.io " + volume.name()
						+ " and its replicas (kubectl -n " + volume.namespace() + " get replicas.longhorn.io -l "
						+ LonghornVolumes.VOLUME_LABEL + "=" + volume.name() + " -o wide), salvage a replica from "
						+ "the Longhorn UI or restore the volume from a backup; delete it if it is no longer needed.",
				LonghornVolumes.resources(volume), withExemption(LonghornVolumes.details(volume), exemption));
	}

	/**
	 * UH-11's detached rule: a detached volume with more than one replica must still have its replicas. A volume
	 * without {@code spec.numberOfReplicas} cannot be compared and is left alone.
	 */
	private static Optional<Finding> missingReplicas(KubeObject volume, ReplicaIndex replicas, String exemption) {
		if (!LonghornVolumes.STATE_DETACHED.equals(LonghornVolumes.state(volume).orElse(null))) {
			return Optional.empty();
		}
		Optional<Long> wanted = LonghornVolumes.numberOfReplicas(volume);
		if (wanted.isEmpty() || wanted.get() == 1) {
			return Optional.empty();
		}
		List<KubeObject> found = replicas.of(volume);
		if (found.size() >= wanted.get()) {
			return Optional.empty();
		}
		Map<String, Object> details = LonghornVolumes.details(volume);
		details.put("replicas", found.size());
		details.put("replicaNames", found.stream().map(KubeObject::name).toList());
		return Optional.of(Finding.of(DEFINITION, Rule.DETACHED_MISSING_REPLICAS.id,
				"Detached Longhorn Volume: " + volume.name() + " should have " + wanted.get()
						+ " replicas, but only has " + found.size() + ".",
				"A detached volume is not rebuilt until it is attached again, so it has fewer copies than it "
						+ "should. Attach it (start its workload, or attach it from the Longhorn UI) and let "
						+ "Longhorn rebuild the missing replicas, then detach it again; check with kubectl -n "
						+ volume.namespace() + " get replicas.longhorn.io -l " + LonghornVolumes.VOLUME_LABEL + "="
						+ volume.name() + ".",
				LonghornVolumes.resources(volume), withExemption(details, exemption)));
	}

	private static Map<String, Object> withExemption(Map<String, Object> details, String exemption) {
		if (exemption != null) {
			details.put("degradedRule", exemption);
		}
		return details;
	}

	/**
	 * Replicas by {@code namespace/volume}, from the {@code longhornvolume} label; built on first use, as only
	 * detached volumes need it and replicas are the most numerous objects of a cluster (three per volume).
	 */
	private static final class ReplicaIndex {

		private final ClusterSnapshot snapshot;

		private Map<String, List<KubeObject>> byVolume;

		ReplicaIndex(ClusterSnapshot snapshot) {
			this.snapshot = snapshot;
		}

		List<KubeObject> of(KubeObject volume) {
			if (this.byVolume == null) {
				this.byVolume = new HashMap<>();
				for (KubeObject replica : this.snapshot.objects(WatchedKind.LONGHORN_REPLICAS)) {
					replica.label(LonghornVolumes.VOLUME_LABEL)
						.ifPresent(name -> this.byVolume.computeIfAbsent(key(replica.namespace(), name),
								k -> new ArrayList<>())
							.add(replica));
				}
			}
			return this.byVolume.getOrDefault(key(volume.namespace(), volume.name()), List.of());
		}

	}

	private static String key(String namespace, String name) {
		return namespace + "/" + name;
	}

}
