package io.harvester.upgradereadiness.publish;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Publishing the report as an OpenReports {@code Report} ({@code openreports.io/v1alpha1}), live mode only.
 *
 * @param enabled whether to publish; off by default, as it is the service's only write (the chart grants it only
 * with {@code publish.openReports.enabled})
 * @param namespace the namespace of the Report; unset: the namespace the Kubernetes client is configured for (the
 * pod's own in a cluster)
 * @param name the name of the Report
 * @param minInterval the shortest time between two writes: changes within it are written together, at its end
 * @param maxResults the most results the Report holds (etcd limits an object to about 1.5 MiB); the results that
 * matter most are kept and the Report says it is truncated
 */
@ConfigurationProperties("upgrade-readiness.publish.open-reports")
public record OpenReportsProperties(@DefaultValue("false") boolean enabled, String namespace,
		@DefaultValue("harvester-upgrade-readiness") String name, @DefaultValue("30s") Duration minInterval,
		@DefaultValue("500") int maxResults) {

	private static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	public OpenReportsProperties {
		if (name == null || name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
			throw new IllegalArgumentException("upgrade-readiness.publish.open-reports.name must be a Kubernetes object "
					+ "name (lower-case letters, digits, '-' and '.', at most 253 characters), not '" + name + "'");
		}
		if (namespace != null && namespace.isBlank()) {
			namespace = null;
		}
		if (namespace != null && (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches())) {
			throw new IllegalArgumentException("upgrade-readiness.publish.open-reports.namespace must be a namespace "
					+ "name (lower-case letters, digits and '-', at most 63 characters), not '" + namespace + "'");
		}
		if (minInterval == null || minInterval.isNegative()) {
			throw new IllegalArgumentException(
					"upgrade-readiness.publish.open-reports.min-interval must not be negative, not " + minInterval);
		}
		if (maxResults < 1) {
			throw new IllegalArgumentException(
					"upgrade-readiness.publish.open-reports.max-results must be 1 or more, not " + maxResults);
		}
	}

}
