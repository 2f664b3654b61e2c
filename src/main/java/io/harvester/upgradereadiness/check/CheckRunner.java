package io.harvester.upgradereadiness.check;

import java.util.ArrayList;
import java.util.List;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs checks over one snapshot. A check whose kinds are not available is skipped for lack of data; a check that
 * throws is reported as {@link CheckStatus#ERROR} with a message, and the other checks still run.
 */
public final class CheckRunner {

	private static final Logger log = LoggerFactory.getLogger(CheckRunner.class);

	public List<CheckResult> run(ClusterSnapshot snapshot, List<Check> checks, CheckContext context) {
		List<CheckResult> results = new ArrayList<>(checks.size());
		for (Check check : checks) {
			results.add(run(snapshot, check, context));
		}
		return results;
	}

	public CheckResult run(ClusterSnapshot snapshot, Check check, CheckContext context) {
		CheckDefinition definition = check.definition();
		for (WatchedKind kind : definition.reads()) {
			KindStatus status = snapshot.status(kind);
			if (status.forbidden()) {
				return new CheckResult(definition, CheckStatus.ERROR, "cannot evaluate: " + status.message(), null,
						List.of());
			}
			if (!status.usable()) {
				return new CheckResult(definition, CheckStatus.SKIPPED, missingReason(status), SkipKind.MISSING_DATA,
						List.of());
			}
		}
		try {
			CheckOutcome outcome = check.evaluate(snapshot, context);
			if (outcome.isSkipped()) {
				return new CheckResult(definition, CheckStatus.SKIPPED, outcome.skipReason(), outcome.skipKind(),
						List.of());
			}
			CheckStatus status = outcome.findings().isEmpty() ? CheckStatus.PASS : CheckStatus.FAIL;
			return new CheckResult(definition, status, null, null, outcome.findings());
		}
		catch (MalformedFieldException ex) {
			return new CheckResult(definition, CheckStatus.ERROR, "cannot evaluate: " + ex.getMessage(), null,
					List.of());
		}
		catch (RuntimeException ex) {
			log.warn("Check {} failed", definition.id(), ex);
			return new CheckResult(definition, CheckStatus.ERROR,
					"the check failed unexpectedly (" + ex.getClass().getSimpleName() + "); see the service log",
					null, List.of());
		}
	}

	private static String missingReason(KindStatus status) {
		String why = (status.message() != null) ? status.message()
				: (status.present() ? status.resource() + " is not synced yet" : status.resource() + " is absent");
		return "needs " + status.resource() + ": " + why;
	}

}
