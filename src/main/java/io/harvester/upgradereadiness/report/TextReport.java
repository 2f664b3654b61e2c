package io.harvester.upgradereadiness.report;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.ResourceRef;

/**
 * The report as an operator reads it in a shell: one aligned line per check, the blocking findings under their
 * check with the resources and the fix, and a last line with the verdict and the counts. ANSI colour only when
 * asked.
 */
public final class TextReport {

	private static final String RESET = "\u001B[0m";

	private static final String BOLD = "\u001B[1m";

	private static final String RED = "\u001B[31m";

	private static final String GREEN = "\u001B[32m";

	private static final String YELLOW = "\u001B[33m";

	private static final String MAGENTA = "\u001B[35m";

	private static final String DIM = "\u001B[2m";

	private TextReport() {
	}

	public static String render(ReadinessReport report, boolean colour) {
		Paint paint = new Paint(colour);
		StringBuilder out = new StringBuilder();
		out.append(paint.bold("Harvester upgrade readiness: " + paint.verdict(report.verdict()))).append('\n');
		ReadinessReport.SnapshotInfo snapshot = report.snapshot();
		out.append("snapshot ").append(snapshot.source()).append(", taken ")
			.append(DateTimeFormatter.ISO_INSTANT.format(snapshot.takenAt()))
			.append(" (").append(snapshot.ageSeconds()).append(" s ago)");
		if (snapshot.stale()) {
			out.append(paint.colour(YELLOW, ", STALE: no contact with the API server for "
					+ (snapshot.staleSeconds() != null ? snapshot.staleSeconds() + " s" : "an unknown time")));
		}
		out.append('\n');
		ReadinessReport.Versions versions = report.versions();
		if (versions != null && (versions.current() != null || versions.target() != null)) {
			out.append("upgrade ").append(orUnknown(versions.current())).append(" -> ").append(orUnknown(versions.target()));
			if (versions.targetSource() != null) {
				out.append(" (").append(versions.targetSource()).append(')');
			}
			out.append('\n');
		}
		// Said where it changed something: a finding applied a version-bound rule without a readable version.
		if (versions != null && versions.rulesAssumed()
				&& report.findings().stream().anyMatch(f -> f.details().containsKey("versionAssumed"))) {
			out.append(paint.colour(YELLOW, "version-bound rules assumed: " + versions.rulesReason())).append('\n');
		}
		out.append('\n');
		Map<String, Finding> findings = new LinkedHashMap<>();
		report.findings().forEach(f -> findings.put(f.id(), f));
		int idWidth = report.checks().stream().mapToInt(c -> c.id().length()).max().orElse(10);
		for (ReadinessReport.CheckReport check : report.checks()) {
			List<Finding> mine = check.findings().stream().map(findings::get).toList();
			long warnings = mine.stream().filter(f -> !f.blocking() && f.acknowledged() == null).count();
			long acknowledged = mine.stream().filter(f -> f.acknowledged() != null).count();
			List<String> notes = new java.util.ArrayList<>();
			if (warnings > 0) {
				notes.add(plural(warnings, "warning"));
			}
			if (acknowledged > 0) {
				notes.add(acknowledged + " acknowledged");
			}
			String detail = switch (check.status()) {
				case PASS -> check.title();
				case FAIL -> check.title() + (notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")");
				case SKIPPED, ERROR -> check.reason();
			};
			out.append(paint.status(check.status())).append("  ").append(pad(check.id(), idWidth)).append("  ")
				.append(detail).append('\n');
			for (Finding finding : mine) {
				String indent = " ".repeat(14);
				if (finding.acknowledged() != null) {
					Finding.Acknowledgement ack = finding.acknowledged();
					out.append(indent).append("~ acknowledged: ").append(finding.message()).append('\n');
					out.append(indent).append("  reason: ").append(paint.colour(DIM, ack.reason()
							+ (ack.expires() != null ? " (until " + ack.expires() + ")" : ""))).append('\n');
					continue;
				}
				if (!finding.blocking()) {
					continue;
				}
				out.append(indent).append("- ").append(finding.message()).append('\n');
				out.append(indent).append("  resources: ")
					.append(String.join(", ", finding.resources().stream().map(ResourceRef::toString).toList()))
					.append('\n');
				out.append(indent).append("  fix: ").append(paint.colour(DIM, finding.remediation())).append('\n');
			}
		}
		ReadinessReport.Summary summary = report.summary();
		long warnings = report.findings().stream().filter(f -> !f.blocking() && f.acknowledged() == null).count();
		out.append('\n');
		for (String reason : report.reasons()) {
			if (reason.startsWith("the snapshot is stale") || reason.startsWith(ReportService.NOTHING_EVALUATED)
					|| reason.startsWith(ReportService.NOTHING_SELECTED)) {
				out.append(paint.colour(YELLOW, reason)).append('\n');
			}
		}
		if (report.expiredAcknowledgements() != null) {
			for (ReadinessReport.ExpiredAcknowledgement expired : report.expiredAcknowledgements()) {
				out.append(paint.colour(YELLOW, "acknowledgement " + expired.rule() + " (" + expired.check()
						+ ") expired on " + expired.expires() + " and no longer applies"
						+ (expired.findings().isEmpty() ? "" : ": " + plural(expired.findings().size(), "finding")
								+ " count again"))).append('\n');
			}
		}
		out.append(paint.bold(paint.verdict(report.verdict()))).append(": ")
			.append(plural(summary.blockingFindings(), "blocking finding")).append(", ").append(plural(warnings, "warning"))
			.append(summary.acknowledged() > 0 ? ", " + summary.acknowledged() + " acknowledged" : "")
			.append("; ").append(summary.checks()).append(" checks: ").append(summary.passed()).append(" passed, ")
			.append(summary.failed()).append(" failed, ").append(summary.skipped()).append(" skipped, ")
			.append(summary.errored()).append(" errored\n");
		return out.toString();
	}

	private static String orUnknown(String version) {
		return (version != null) ? version : "?";
	}

	private static String plural(long count, String noun) {
		return count + " " + noun + (count == 1 ? "" : "s");
	}

	private static String pad(String text, int width) {
		return (text.length() >= width) ? text : text + " ".repeat(width - text.length());
	}

	private record Paint(boolean on) {

		String colour(String code, String text) {
			return this.on ? code + text + RESET : text;
		}

		String bold(String text) {
			return colour(BOLD, text);
		}

		String verdict(Verdict verdict) {
			return switch (verdict) {
				case READY -> colour(GREEN, "READY");
				case NOT_READY -> colour(RED, "NOT_READY");
				case UNKNOWN -> colour(YELLOW, "UNKNOWN");
			};
		}

		String status(CheckStatus status) {
			return switch (status) {
				case PASS -> colour(GREEN, "[+] PASS   ");
				case FAIL -> colour(RED, "[-] FAIL   ");
				case SKIPPED -> colour(YELLOW, "[~] SKIPPED");
				case ERROR -> colour(MAGENTA, "[!] ERROR  ");
			};
		}

	}

}
