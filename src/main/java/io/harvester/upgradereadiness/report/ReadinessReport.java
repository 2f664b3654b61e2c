package io.harvester.upgradereadiness.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.check.SkipKind;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.SnapshotFileStats;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answer to "can this cluster be upgraded now, and if not, what stands in the way?".
 *
 * @param verdict the verdict
 * @param ready {@code true} exactly when the verdict is {@code READY}
 * @param evaluatedAt when the checks were evaluated
 * @param snapshot what the checks looked at
 * @param summary counts over checks and findings
 * @param checks every check that ran or was skipped
 * @param findings every finding, in check order
 * @param reasons why the verdict is not READY: blocking findings, checks that could not be evaluated, a stale
 * snapshot; empty when READY
 * @param versions the running version and the version the upgrade is evaluated to
 * @param expiredAcknowledgements acknowledgement rules past their expiry day, which no longer apply; absent when
 * there are none
 */
@Schema(description = "Whether the cluster can be upgraded now, and what stands in the way.")
public record ReadinessReport(
		@Schema(description = "READY: nothing blocks and everything was evaluated. NOT_READY: at least one blocking "
				+ "finding. UNKNOWN: nothing blocks, but something could not be evaluated.") Verdict verdict,
		@Schema(description = "True exactly when the verdict is READY.") boolean ready,
		@Schema(description = "When the checks were evaluated.") Instant evaluatedAt,
		@Schema(description = "What the checks looked at.") SnapshotInfo snapshot,
		@Schema(description = "Counts over checks and findings.") Summary summary,
		@Schema(description = "Every check that ran or was skipped, so a client sees coverage.") List<CheckReport> checks,
		@Schema(description = "Every finding, in check order.") List<Finding> findings,
		@Schema(description = "Why the verdict is not READY: blocking findings, checks that could not be evaluated, "
				+ "a stale snapshot. Empty when READY.") List<String> reasons,
		@Schema(description = "The running version and the version the upgrade is evaluated to.") Versions versions,
		@Schema(description = "Acknowledgement rules past their expiry day: they no longer apply, so the findings "
				+ "they matched count again. Absent when there are none.",
				nullable = true) List<ExpiredAcknowledgement> expiredAcknowledgements) {

	/**
	 * An acknowledgement rule that has expired.
	 *
	 * @param rule the configuration rule, {@code upgrade-readiness.acknowledgements[0]}
	 * @param check the check id it names
	 * @param reason its reason
	 * @param expires its last day
	 * @param findings the ids of the findings it would match, which count again
	 */
	@Schema(description = "An acknowledgement rule past its expiry day: it no longer applies.")
	public record ExpiredAcknowledgement(
			@Schema(description = "The configuration rule.", example = "upgrade-readiness.acknowledgements[1]") String rule,
			@Schema(description = "The check id it names.", example = "stale-attached-volumes") String check,
			@Schema(description = "Its reason.") String reason,
			@Schema(description = "Its last day (UTC).", example = "2026-10-31") java.time.LocalDate expires,
			@Schema(description = "Ids of the findings it would match; they count toward the verdict again.") List<String> findings) {
	}

	/**
	 * Which upgrade the report is about.
	 *
	 * @param current the running version (Harvester setting server-version), absent when unknown
	 * @param target the version the upgrade is evaluated to, absent when there is none
	 * @param targetSource where the target comes from: who set targetVersion, or the newest Version object
	 * @param rulesAssumed whether the version-bound rules were applied without a readable running version
	 * @param rulesReason why they were, {@code null} when they were not
	 */
	@Schema(description = "Which upgrade the report is about.")
	public record Versions(
			@Schema(description = "The running version (Harvester setting server-version).", example = "v1.4.2",
					nullable = true) String current,
			@Schema(description = "The version the upgrade is evaluated to.", example = "v1.5.1",
					nullable = true) String target,
			@Schema(description = "Where the target comes from: who set targetVersion (request parameter or "
					+ "configuration property), or the newest versions.harvesterhci.io object.",
					example = "newest versions.harvesterhci.io object", nullable = true) String targetSource,
			@Schema(description = "Whether the version-bound rules were applied without knowing the running version "
					+ "(absent, or a dev build): each of them was then taken as in force, and its findings say so.")
			boolean rulesAssumed,
			@Schema(description = "Why the version-bound rules were assumed in force; present only when "
					+ "rulesAssumed is true.", nullable = true) String rulesReason) {

		/** Known versions: the version-bound rules are judged by them. */
		public Versions(String current, String target, String targetSource) {
			this(current, target, targetSource, false, null);
		}

		static Versions of(HarvesterVersions versions) {
			Optional<String> unknown = versions.currentUnknownReason();
			return new Versions(versions.current(), versions.target(), versions.targetSource(), unknown.isPresent(),
					unknown.map(why -> why + ": the version-bound rules are applied as if in force").orElse(null));
		}

	}

	/**
	 * The snapshot the report was computed from.
	 *
	 * @param source where it came from
	 * @param takenAt when this version of the snapshot was assembled
	 * @param ageSeconds seconds since {@code takenAt}
	 * @param version the snapshot version; equal versions hold equal content
	 * @param kinds what is known of each watched kind
	 * @param files for a file snapshot, what was read and ignored; absent for a live snapshot
	 * @param stale whether the watches of some kinds are lost, so the snapshot may be out of date
	 * @param lastContactAt for a stale snapshot, the last successful contact with the API server
	 * @param staleSeconds for a stale snapshot, seconds since {@code lastContactAt}
	 * @param staleKinds for a stale snapshot, the resources whose watch is lost
	 */
	@Schema(description = "The snapshot the report was computed from.")
	public record SnapshotInfo(
			@Schema(description = "live:<API server URL> or file:<path>.",
					example = "live:https://10.53.0.1:443/") String source,
			@Schema(description = "When this version of the snapshot was assembled (live: the last change seen).") Instant takenAt,
			@Schema(description = "Seconds since takenAt.", example = "12") long ageSeconds,
			@Schema(description = "Snapshot version; equal versions hold equal content.", example = "42") long version,
			@Schema(description = "What is known of each watched kind.") List<KindStatus> kinds,
			@Schema(description = "For a file snapshot: what was read and ignored; absent for a live snapshot.") SnapshotFileStats files,
			@Schema(description = "Whether the watches of some kinds are lost (API server unreachable), so the "
					+ "snapshot may be out of date. Past upgrade-readiness.snapshot.max-staleness the verdict is "
					+ "UNKNOWN.") boolean stale,
			@Schema(description = "For a stale snapshot: the last successful contact with the API server.",
					nullable = true) Instant lastContactAt,
			@Schema(description = "For a stale snapshot: seconds since lastContactAt.", nullable = true) Long staleSeconds,
			@Schema(description = "For a stale snapshot: the resources whose watch is lost.") List<String> staleKinds) {
	}

	/**
	 * Counts over the report.
	 *
	 * @param checks checks in the report
	 * @param passed checks that passed
	 * @param failed checks with findings
	 * @param skipped checks skipped
	 * @param errored checks that could not be evaluated
	 * @param findings all findings
	 * @param blockingFindings findings that block the upgrade (acknowledged ones not counted)
	 * @param acknowledged findings an acknowledgement rule matches, which do not count toward the verdict
	 */
	@Schema(description = "Counts over checks and findings.")
	public record Summary(@Schema(description = "Checks in the report.", example = "25") int checks,
			@Schema(description = "Checks that ran and found nothing.", example = "15") int passed,
			@Schema(description = "Checks with findings (blocking or not).", example = "8") int failed,
			@Schema(description = "Checks that did not run; see their reason and skipKind.", example = "2") int skipped,
			@Schema(description = "Checks that could not be evaluated.", example = "0") int errored,
			@Schema(description = "All findings.", example = "9") int findings,
			@Schema(description = "Findings that block the upgrade; acknowledged findings are not counted.",
					example = "6") int blockingFindings,
			@Schema(description = "Findings an acknowledgement rule matches; they do not count toward the verdict.",
					example = "0") int acknowledged) {
	}

	/**
	 * One check's result.
	 *
	 * @param id the check id
	 * @param title its title
	 * @param category its category
	 * @param status its status
	 * @param reason why it was skipped or errored
	 * @param skipKind for a skipped check, whether the skip was deliberate or for lack of data
	 * @param findings the ids of its findings (full findings are in the report's {@code findings})
	 */
	@Schema(description = "One check's result.")
	public record CheckReport(@Schema(example = "machine-node-match") String id,
			@Schema(example = "Machines and Nodes match") String title,
			@Schema(example = "machines") String category,
			@Schema(description = "PASS, FAIL (has findings), SKIPPED or ERROR.") CheckStatus status,
			@Schema(description = "Why the check was skipped or errored.", nullable = true) String reason,
			@Schema(description = "For SKIPPED: DELIBERATE (switched off or not applicable; does not keep the verdict "
					+ "from READY) or MISSING_DATA (the data is not there; the verdict is UNKNOWN).",
					nullable = true) SkipKind skipKind,
			@Schema(description = "Ids of this check's findings; the findings are in the report's findings list.") List<String> findings) {
	}

}
