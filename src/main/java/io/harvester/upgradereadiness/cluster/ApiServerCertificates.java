package io.harvester.upgradereadiness.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The certificates the API server endpoints present, read by a TLS handshake to every ready endpoint of the
 * {@code default/kubernetes} service, as Harvester's webhook does before an upgrade (HV-19).
 *
 * @param checkedAt when the endpoints were last probed
 * @param endpoints one entry per endpoint
 */
public record ApiServerCertificates(Instant checkedAt, List<Endpoint> endpoints) {

	public ApiServerCertificates {
		endpoints = List.copyOf(endpoints);
	}

	/** The endpoint whose certificate expires first, if any endpoint answered. */
	public java.util.Optional<Endpoint> earliest() {
		return this.endpoints.stream()
			.filter(e -> e.earliestNotAfter() != null)
			.min(java.util.Comparator.comparing(Endpoint::earliestNotAfter));
	}

	/**
	 * One endpoint.
	 *
	 * @param address {@code host:port}
	 * @param earliestNotAfter the earliest expiry over the certificate chain it presents, {@code null} when it could
	 * not be read
	 * @param subject the subject of that earliest-expiring certificate
	 * @param error why the handshake failed, {@code null} when it succeeded
	 */
	public record Endpoint(String address, Instant earliestNotAfter, String subject, String error) {
	}

}
