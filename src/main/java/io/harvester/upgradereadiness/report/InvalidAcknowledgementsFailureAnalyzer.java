package io.harvester.upgradereadiness.report;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns invalid acknowledgement rules into a start-up failure that names each rule and what it lacks. */
class InvalidAcknowledgementsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidAcknowledgementsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidAcknowledgementsException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Give every rule of upgrade-readiness.acknowledgements a check id that GET /api/v1/checks lists and a "
						+ "reason, or remove it. Write label keys that contain '/' in brackets: "
						+ "\"[app.kubernetes.io/name]\": grafana. See docs/operations.md, \"Acknowledging findings\".",
				cause);
	}

}
