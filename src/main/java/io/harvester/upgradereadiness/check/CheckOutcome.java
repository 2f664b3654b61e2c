package io.harvester.upgradereadiness.check;

import java.util.List;

/**
 * What a check returns: its findings, or why it did not apply.
 *
 * @param findings the findings, empty when the check passes or is skipped
 * @param skipReason why the check was skipped, {@code null} when it ran
 * @param skipKind whether the skip was deliberate or for lack of data, {@code null} when it ran
 */
public record CheckOutcome(List<Finding> findings, String skipReason, SkipKind skipKind) {

	public CheckOutcome {
		findings = List.copyOf(findings);
	}

	public static CheckOutcome of(List<Finding> findings) {
		return new CheckOutcome(findings, null, null);
	}

	public static CheckOutcome pass() {
		return of(List.of());
	}

	/** Not applicable on purpose: an exemption, a switch, an opt-in left off. */
	public static CheckOutcome skipped(String reason) {
		return new CheckOutcome(List.of(), reason, SkipKind.DELIBERATE);
	}

	/** The data needed is not there: the verdict cannot be READY. */
	public static CheckOutcome unknown(String reason) {
		return new CheckOutcome(List.of(), reason, SkipKind.MISSING_DATA);
	}

	public boolean isSkipped() {
		return this.skipKind != null;
	}

}
