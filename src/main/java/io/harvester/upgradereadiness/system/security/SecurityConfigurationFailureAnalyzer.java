package io.harvester.upgradereadiness.system.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a security setting that cannot work into a start-up failure that says why and what to change. */
class SecurityConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SecurityConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, SecurityConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
