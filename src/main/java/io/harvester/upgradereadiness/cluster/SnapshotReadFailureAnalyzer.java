package io.harvester.upgradereadiness.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an unreadable snapshot into a clear start-up failure naming the file, instead of a stack trace. */
class SnapshotReadFailureAnalyzer extends AbstractFailureAnalyzer<SnapshotReadException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SnapshotReadException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Fix or remove the file, or point upgrade-readiness.snapshot.path (UPGRADE_READINESS_SNAPSHOT_PATH) at "
						+ "a directory of YAML or JSON files as kubectl get -o yaml prints them or a support bundle holds.",
				cause);
	}

}
