package io.harvester.upgradereadiness.check;

import java.util.List;

/**
 * The result of one check in one evaluation.
 *
 * @param definition the check
 * @param status its status
 * @param reason why it was skipped or errored, {@code null} otherwise
 * @param skipKind whether a skip was deliberate or for lack of data, {@code null} when not skipped
 * @param findings its findings
 */
public record CheckResult(CheckDefinition definition, CheckStatus status, String reason, SkipKind skipKind,
		List<Finding> findings) {

	public CheckResult {
		findings = List.copyOf(findings);
	}

	/** Whether this result leaves the verdict unknown: an error, or a skip for lack of data. */
	public boolean leavesVerdictUnknown() {
		return this.status == CheckStatus.ERROR || this.skipKind == SkipKind.MISSING_DATA;
	}

}
