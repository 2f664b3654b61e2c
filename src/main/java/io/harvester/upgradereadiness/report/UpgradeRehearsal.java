package io.harvester.upgradereadiness.report;

import java.util.List;

import io.harvester.upgradereadiness.rehearsal.Rehearsal;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code GET /api/v1/upgrade-rehearsal}: the drain rehearsal over the current snapshot, with the versions and the
 * snapshot as the report gives them.
 *
 * @param versions the running version and the version rehearsed to
 * @param snapshot the snapshot rehearsed
 * @param orderSource {@code machines} or {@code node-names}
 * @param singleNode exactly one non-witness node
 * @param restoreVM the restoreVM rehearsed with
 * @param order every node in upgrade order
 * @param steps one per node
 * @param summary counts and the verdict
 * @param limits what the emulation does not model
 */
@Schema(description = "The upgrade's node-by-node drain, rehearsed over the cached snapshot: in which order the "
		+ "nodes are upgraded, where each running VM would migrate, which VMs fit nowhere and why.")
public record UpgradeRehearsal(
		@Schema(description = "The running version and the version rehearsed to.") ReadinessReport.Versions versions,
		@Schema(description = "The snapshot rehearsed.") ReadinessReport.SnapshotInfo snapshot,
		@Schema(description = "machines: Rancher's planner order from the CAPI Machines; node-names: Machines are "
				+ "missing and the order is approximate (limits says so).",
				allowableValues = { "machines", "node-names" }) String orderSource,
		@Schema(description = "Exactly one non-witness node: no live migration is possible.") boolean singleNode,
		@Schema(description = "The restoreVM rehearsed with, and where it came from.") Rehearsal.RestoreVm restoreVM,
		@Schema(description = "Every node in upgrade order.") List<Rehearsal.OrderEntry> order,
		@Schema(description = "One step per node, in upgrade order.") List<Rehearsal.Step> steps,
		@Schema(description = "Counts and the verdict on room.") Rehearsal.Summary summary,
		@Schema(description = "What the emulation does not model, and facts about its input.") List<String> limits) {

	static UpgradeRehearsal of(ReadinessReport.Versions versions, ReadinessReport.SnapshotInfo snapshot,
			Rehearsal rehearsal) {
		return new UpgradeRehearsal(versions, snapshot, rehearsal.orderSource(), rehearsal.singleNode(),
				rehearsal.restoreVM(), rehearsal.order(), rehearsal.steps(), rehearsal.summary(), rehearsal.limits());
	}

}
