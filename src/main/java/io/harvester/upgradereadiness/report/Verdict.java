package io.harvester.upgradereadiness.report;

/** Whether the cluster can be upgraded now. */
public enum Verdict {

	/** Every check ran (or was deliberately skipped) and nothing blocks. */
	READY,
	/** At least one blocking finding. */
	NOT_READY,
	/** Nothing blocks, but something could not be evaluated: the answer is not known. */
	UNKNOWN

}
