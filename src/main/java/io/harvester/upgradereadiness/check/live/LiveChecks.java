package io.harvester.upgradereadiness.check.live;

import java.util.List;

import io.harvester.upgradereadiness.check.Check;

/** The checks over live probes, in the order reports list them. */
public final class LiveChecks {

	private LiveChecks() {
	}

	public static List<Check> all() {
		return List.of(new NodeDiskHeadroomCheck(), new ApiServerCertificateExpiryCheck(),
				new WebhookCertificateExpiryCheck());
	}

}
