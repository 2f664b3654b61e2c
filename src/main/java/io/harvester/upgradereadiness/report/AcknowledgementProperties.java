package io.harvester.upgradereadiness.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operators' acknowledgements of known findings, {@code upgrade-readiness.acknowledgements[]}: in the application
 * configuration, or in a YAML file imported with {@code spring.config.import} (the chart mounts one from a
 * ConfigMap). Validated at start-up by {@link Acknowledgements#of}.
 *
 * @param acknowledgements the rules, in order; a finding takes the first rule that matches it
 */
@ConfigurationProperties("upgrade-readiness")
public record AcknowledgementProperties(@DefaultValue List<Rule> acknowledgements) {

	/**
	 * One rule: a check id and a resource selector. A finding of that check matches when one of its resources
	 * matches every selector field that is set; a rule with no selector field matches every finding of the check.
	 *
	 * @param check the check id, as {@code GET /api/v1/checks} lists it (required)
	 * @param kind the resource's kind, such as {@code Volume} (case-insensitive)
	 * @param namespace the resource's namespace
	 * @param name the resource's name
	 * @param labelSelector labels the resource carries (looked up in the snapshot)
	 * @param reason why the finding is accepted (required)
	 * @param expires the last day (UTC) the rule applies; after it the rule is ignored and reported as expired
	 */
	public record Rule(String check, String kind, String namespace, String name, LabelSelector labelSelector,
			String reason, LocalDate expires) {
	}

	/**
	 * Equality-based label selection, as Kubernetes' {@code matchLabels}.
	 *
	 * @param matchLabels labels the resource must carry with these values. Keys with {@code /} must be written
	 * in brackets in Spring configuration ({@code "[app.kubernetes.io/name]": grafana}); the chart does it
	 */
	public record LabelSelector(Map<String, String> matchLabels) {
	}

}
