package io.harvester.upgradereadiness.check;

/** The outcome of one check. */
public enum CheckStatus {

	/** The check ran and found nothing. */
	PASS,
	/** The check ran and has findings. */
	FAIL,
	/** The check did not run; the reason says why. */
	SKIPPED,
	/** The check could not be evaluated (malformed data, an internal failure); the reason says why. */
	ERROR

}
