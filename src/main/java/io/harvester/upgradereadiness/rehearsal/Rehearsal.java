package io.harvester.upgradereadiness.rehearsal;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The result of replaying the upgrade's node-by-node drain over a snapshot: the order, what each drain moves where,
 * what finds no node and why, and the verdict on room.
 *
 * @param orderSource {@code machines}, or {@code node-names} when Machines are missing (the order is approximate)
 * @param singleNode exactly one non-witness node: nothing can migrate
 * @param restoreVM the {@code restoreVM} rehearsed with, and where it came from
 * @param order every node in upgrade order
 * @param steps one per node in upgrade order
 * @param summary counts and the verdict
 * @param limits what the emulation does not model, and facts about its input
 */
@Schema(description = "The upgrade's node-by-node drain replayed over the snapshot.")
public record Rehearsal(
		@Schema(description = "machines: Rancher's planner order from the CAPI Machines; node-names: Machines are "
				+ "missing and the order is approximate (limits says so).",
				allowableValues = { "machines", "node-names" }) String orderSource,
		@Schema(description = "Exactly one non-witness node: no live migration is possible.") boolean singleNode,
		@Schema(description = "The restoreVM rehearsed with.") RestoreVm restoreVM,
		@Schema(description = "Every node in upgrade order.") List<OrderEntry> order,
		@Schema(description = "One step per node, in upgrade order.") List<Step> steps,
		@Schema(description = "Counts and the verdict.") Summary summary,
		@Schema(description = "What the emulation does not model, and facts about its input, as sentences.") List<String> limits) {

	/** A placed VM's verdict when the likely order does not place it. */
	public enum NotPlacedVerdict {

		/** No migration order places it. */
		DOES_NOT_FIT,

		/** It fits only if the VMs move in another order than the likely one. */
		FITS_ONLY_IN_SOME_ORDERS

	}

	/** The verdict on room. */
	public enum Verdict {

		FITS, AT_RISK, DOES_NOT_FIT, SINGLE_NODE

	}

	/** What happens to a VM that never migrates. */
	public enum Outcome {

		/** Harvester's webhook refuses the upgrade while it runs (vms-live-migratable). */
		BLOCKS_UPGRADE,

		/** Stopped before the node's pre-drain, restarted on the same node after its upgrade (restoreVM). */
		RESTORED_ON_NODE,

		/** Neither migrated nor stopped by Harvester: the pre-drain waits forever. */
		STALLS_PRE_DRAIN,

		/** Stopped by the upgrade and not restarted. */
		STOPPED,

		/** Its migration target pod fits no node: as a VM that does not fit. */
		MIGRATION_FAILS

	}

	/**
	 * @param value whether VMs that cannot migrate are stopped and restored on their node
	 * @param from where it came from
	 */
	@Schema(name = "RehearsalRestoreVm", description = "The restoreVM rehearsed with.")
	public record RestoreVm(boolean value, @Schema(example = "setting upgrade-config") String from) {
	}

	/**
	 * @param step 1-based position
	 * @param node the node
	 * @param machine its CAPI Machine, absent without one
	 * @param tier {@code init}, {@code etcd}, {@code control-plane} or {@code worker}
	 */
	@Schema(name = "RehearsalOrderEntry", description = "A node's turn in the upgrade.")
	public record OrderEntry(@Schema(example = "1") int step, @Schema(example = "harv1") String node,
			@Schema(example = "custom-c30c5116d1da", nullable = true) String machine,
			@Schema(allowableValues = { "init", "etcd", "control-plane", "worker" }) String tier) {
	}

	/**
	 * @param step 1-based position
	 * @param node the node drained
	 * @param vms running VMs on it when its turn comes
	 * @param placed where the likely order sends each migrating VM
	 * @param notPlaced migrating VMs the likely order places nowhere
	 * @param nonMigratable VMs that never migrate
	 * @param hypothetical the real upgrade would already have stopped at an earlier step
	 * @param headroom the fullest candidate node after the step, absent when there is none
	 * @param notes facts about this step (estimated requests)
	 */
	@Schema(name = "RehearsalStep", description = "One node's drain.")
	public record Step(@Schema(example = "1") int step, @Schema(example = "harv1") String node,
			@Schema(description = "Running VMs on the node when its turn comes.") int vms,
			@Schema(description = "Where the likely migration order sends each VM.") List<Placed> placed,
			@Schema(description = "VMs the likely migration order places on no node.") List<NotPlaced> notPlaced,
			@Schema(description = "VMs that never live-migrate.") List<NonMigratable> nonMigratable,
			@Schema(description = "True when the real upgrade would already have stopped at an earlier step "
					+ "(a stall in Pre-draining): the step assumes an operator stopped those VMs.") boolean hypothetical,
			@Schema(description = "The candidate node with the least free memory after the step.",
					nullable = true) Headroom headroom,
			@Schema(description = "Facts about this step, such as estimated requests.") List<String> notes) {
	}

	/**
	 * @param vm {@code namespace/name}
	 * @param to the node it lands on
	 * @param requests its migration target pod's requests as Kubernetes quantities
	 * @param requestsEstimated true when no launcher pod was found and KubeVirt's formula gave the requests
	 */
	@Schema(name = "RehearsalPlaced", description = "A VM and the node it migrates to.")
	public record Placed(@Schema(example = "default/vm-db") String vm, @Schema(example = "harv2") String to,
			@Schema(description = "Kubernetes quantities by resource name.",
					example = "{\"cpu\": \"500m\", \"memory\": \"8Gi\"}") Map<String, String> requests,
			@Schema(description = "True when the requests are estimated (no launcher pod).",
					nullable = true) Boolean requestsEstimated) {
	}

	/**
	 * @param vm {@code namespace/name}
	 * @param requests its migration target pod's requests
	 * @param verdict whether any migration order places it
	 * @param reasons why each node refuses it, in the scheduler's words
	 * @param consequence what the upgrade does with it
	 * @param requestsEstimated true when the requests are estimated
	 */
	@Schema(name = "RehearsalNotPlaced", description = "A VM the likely migration order places nowhere.")
	public record NotPlaced(@Schema(example = "default/vm-db") String vm,
			@Schema(description = "Kubernetes quantities by resource name.") Map<String, String> requests,
			NotPlacedVerdict verdict,
			@Schema(description = "Every other node and why it refuses the VM (nodes past the first "
					+ Replay.MAX_REASONS + " are counted in a last entry without node).") List<Reason> reasons,
			@Schema(description = "What the upgrade does with it, by target version.") String consequence,
			@Schema(nullable = true) Boolean requestsEstimated) {
	}

	/**
	 * @param node the node, absent for the entry counting the nodes not listed
	 * @param reason the scheduler's reason
	 */
	@Schema(name = "RehearsalReason", description = "Why a node refuses a VM.")
	public record Reason(@Schema(example = "harv2", nullable = true) String node,
			@Schema(example = "Insufficient memory (free 3.2Gi, needs 8.3Gi)") String reason) {
	}

	/**
	 * @param vm {@code namespace/name}
	 * @param reason why it never migrates
	 * @param consequence what the upgrade does with it
	 * @param outcome the same as a value
	 */
	@Schema(name = "RehearsalNonMigratable", description = "A VM that never live-migrates.")
	public record NonMigratable(@Schema(example = "default/gpu-vm") String vm,
			@Schema(example = "1 host device attached: gpu0 (nvidia.com/GA102GL_A10)") String reason,
			String consequence, Outcome outcome) {
	}

	/**
	 * @param node the candidate node with the least free memory
	 * @param memoryFree its free memory
	 * @param memoryAllocatable its allocatable memory
	 * @param memoryFreePercent free as a percentage of allocatable, rounded down
	 */
	@Schema(name = "RehearsalHeadroom", description = "The fullest candidate node after a step.")
	public record Headroom(String node, @Schema(example = "3.2Gi") String memoryFree,
			@Schema(example = "64Gi") String memoryAllocatable, @Schema(example = "5") int memoryFreePercent) {
	}

	/**
	 * @param steps the number of steps
	 * @param vmsPlaced placements over all steps (a VM moved twice counts twice)
	 * @param vmsNotPlaced VMs placed nowhere, over all steps
	 * @param firstFailingStep the first step with a VM placed nowhere, absent when none
	 * @param verdict {@code SINGLE_NODE}; else {@code DOES_NOT_FIT} when a step has a VM that no order places;
	 * else {@code AT_RISK} when one fits only in some orders; else {@code FITS}
	 */
	@Schema(name = "RehearsalSummary", description = "Counts and the verdict on room.")
	public record Summary(int steps, int vmsPlaced, int vmsNotPlaced,
			@Schema(nullable = true) Integer firstFailingStep,
			@Schema(description = "SINGLE_NODE when singleNode; else DOES_NOT_FIT when some step has a DOES_NOT_FIT "
					+ "VM; else AT_RISK when some step has a FITS_ONLY_IN_SOME_ORDERS VM; else FITS. About room "
					+ "only: non-migratable VMs do not change it.") Verdict verdict) {
	}

}
