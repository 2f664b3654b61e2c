package io.harvester.upgradereadiness.check;

/** Why a check was skipped, which decides whether the skip leaves the verdict unknown. */
public enum SkipKind {

	/**
	 * Switched off or not applicable on purpose (configuration, a request parameter, an exemption such as a
	 * single-node cluster). Does not by itself keep the verdict from {@code READY}.
	 */
	DELIBERATE,
	/** The data the check needs is not there (kind absent, forbidden, stale): the verdict is {@code UNKNOWN}. */
	MISSING_DATA

}
