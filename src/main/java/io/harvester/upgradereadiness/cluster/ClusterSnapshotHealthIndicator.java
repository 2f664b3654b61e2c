package io.harvester.upgradereadiness.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The service's own readiness ({@code clusterSnapshot}): UP when every watched kind is synced, absent or forbidden,
 * so that a report can be served. Reports the same per-kind details whether UP or DOWN. It never calls the API server.
 */
public class ClusterSnapshotHealthIndicator extends AbstractHealthIndicator {

	private final SnapshotSource source;

	public ClusterSnapshotHealthIndicator(SnapshotSource source) {
		super("Cluster snapshot state could not be read");
		this.source = source;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean synced = true;
		Map<String, Object> kinds = new LinkedHashMap<>();
		for (KindStatus status : this.source.kindStatuses()) {
			// A forbidden kind is settled: the service answers, and says which checks cannot be evaluated.
			synced &= status.synced() || status.forbidden();
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("apiVersion", status.apiVersion());
			detail.put("present", status.present());
			detail.put("synced", status.synced());
			detail.put("count", status.count());
			if (status.forbidden()) {
				detail.put("forbidden", true);
			}
			if (status.message() != null) {
				detail.put("message", status.message());
			}
			kinds.put(status.resource(), detail);
		}
		Freshness freshness = this.source.freshness();
		// A stale snapshot keeps the pod ready: it still has something true to say (with its age).
		(synced ? builder.up() : builder.down()).withDetail("source", this.source.description())
			.withDetail("stale", freshness.stale());
		if (freshness.stale()) {
			builder.withDetail("staleKinds", freshness.staleKinds());
			if (freshness.lastContactAt() != null) {
				builder.withDetail("lastContactAt", freshness.lastContactAt().toString());
			}
		}
		builder.withDetail("kinds", kinds);
	}

}
