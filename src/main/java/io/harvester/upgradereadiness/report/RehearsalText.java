package io.harvester.upgradereadiness.report;

import java.time.format.DateTimeFormatter;
import java.util.Map;

import io.harvester.upgradereadiness.rehearsal.Rehearsal;

/**
 * The rehearsal as an operator reads it in a shell: the upgrade, then one block per node in upgrade order with
 * what moves where, what fits nowhere and why, and what never migrates; the verdict and the limits last.
 */
public final class RehearsalText {

	private RehearsalText() {
	}

	public static String render(UpgradeRehearsal r) {
		StringBuilder out = new StringBuilder();
		out.append("Harvester upgrade rehearsal: ").append(r.summary().verdict()).append('\n');
		out.append("snapshot ").append(r.snapshot().source()).append(", taken ")
			.append(DateTimeFormatter.ISO_INSTANT.format(r.snapshot().takenAt()))
			.append(" (").append(r.snapshot().ageSeconds()).append(" s ago)\n");
		ReadinessReport.Versions versions = r.versions();
		out.append("upgrade ").append(orUnknown(versions.current())).append(" -> ").append(orUnknown(versions.target()))
			.append('\n');
		out.append("order from ").append(r.orderSource()).append(", restoreVM ").append(r.restoreVM().value())
			.append(" (").append(r.restoreVM().from()).append(")\n\n");
		int total = r.steps().size();
		for (Rehearsal.Step step : r.steps()) {
			Rehearsal.OrderEntry entry = r.order().get(step.step() - 1);
			out.append("step ").append(step.step()).append('/').append(total).append("  ").append(step.node())
				.append("  (").append(entry.tier()).append(entry.machine() != null ? ", " + entry.machine() : "")
				.append(")  ").append(step.vms()).append(" VM").append(step.vms() == 1 ? "" : "s")
				.append(step.hypothetical() ? "  HYPOTHETICAL: the upgrade would already have stalled" : "")
				.append('\n');
			for (Rehearsal.Placed placed : step.placed()) {
				out.append("    -> ").append(placed.vm()).append(" to ").append(placed.to()).append("  ")
					.append(requests(placed.requests())).append('\n');
			}
			for (Rehearsal.NotPlaced vm : step.notPlaced()) {
				out.append("    !! ").append(vm.vm()).append(' ').append(vm.verdict()).append("  ")
					.append(requests(vm.requests())).append('\n');
				for (Rehearsal.Reason reason : vm.reasons()) {
					out.append("         ").append(reason.node() != null ? reason.node() + ": " : "")
						.append(reason.reason()).append('\n');
				}
				out.append("         ").append(vm.consequence()).append('\n');
			}
			for (Rehearsal.NonMigratable vm : step.nonMigratable()) {
				out.append("    xx ").append(vm.vm()).append(' ').append(vm.outcome()).append(": ").append(vm.reason())
					.append('\n');
				out.append("         ").append(vm.consequence()).append('\n');
			}
			if (step.headroom() != null) {
				out.append("    fullest candidate after: ").append(step.headroom().node()).append(", ")
					.append(step.headroom().memoryFree()).append(" of ").append(step.headroom().memoryAllocatable())
					.append(" memory free (").append(step.headroom().memoryFreePercent()).append(" %)\n");
			}
		}
		Rehearsal.Summary summary = r.summary();
		out.append('\n').append(summary.verdict()).append(": ").append(summary.steps()).append(" steps, ")
			.append(summary.vmsPlaced()).append(" placements, ").append(summary.vmsNotPlaced()).append(" not placed")
			.append(summary.firstFailingStep() != null ? ", first failing step " + summary.firstFailingStep() : "")
			.append('\n');
		out.append("\nlimits:\n");
		r.limits().forEach(limit -> out.append("  - ").append(limit).append('\n'));
		return out.toString();
	}

	private static String requests(Map<String, String> requests) {
		StringBuilder text = new StringBuilder();
		requests.forEach((name, value) -> {
			if (name.equals("cpu") || name.equals("memory") || !name.startsWith("devices.kubevirt.io/")) {
				text.append(text.isEmpty() ? "" : ", ").append(name).append(' ').append(value);
			}
		});
		return text.toString();
	}

	private static String orUnknown(String version) {
		return (version != null) ? version : "(unknown)";
	}

}
