package io.harvester.upgradereadiness.check.live;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ApiServerCertificates;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.ProbeResult;
import io.harvester.upgradereadiness.cluster.ResourceRef;

/**
 * The earliest certificate the API server endpoints present must outlive the upgrade (Harvester webhook HV-19,
 * since v1.5.0): it must not expire within {@code minCertsExpirationInDay} days (default 7). An upgrade that
 * starts with RKE2 certificates about to expire can stall at "Waiting for CAPI cluster fleet-local/local to be
 * provisioned" (harvester/harvester#3863).
 * <p>
 * Harvester's message prints the threshold where it means the remaining days; we print the remaining days. Live
 * only: a file snapshot holds no certificates.
 */
public final class ApiServerCertificateExpiryCheck implements Check {

	public static final String ID = "apiserver-certificate-expiry";

	private static final ResourceRef KUBERNETES_SERVICE = new ResourceRef("v1", "Service", "default", "kubernetes");

	static final CheckDefinition DEFINITION = new CheckDefinition(ID, "API server certificates outlive the upgrade",
			"platform", Severity.ERROR, true,
			"The earliest-expiring certificate presented by the API server endpoints (every ready endpoint of the "
					+ "default/kubernetes service) must be valid for at least minCertsExpirationInDay more days "
					+ "(default 7). Live only; read by a TLS handshake every few minutes.",
			List.of(),
			"Upgrade webhook since v1.5.0 (HV-19; threshold from the harvesterhci.io/minCertsExpirationInDay annotation)",
			"v1.5.0");

	private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		if (!context.live()) {
			return CheckOutcome.skipped("needs a TLS handshake with the API server, which a file snapshot cannot give");
		}
		Optional<ProbeResult<ApiServerCertificates>> probe = snapshot.apiServerCertificates();
		if (probe.isEmpty()) {
			return CheckOutcome.unknown("the API server certificates have not been read yet");
		}
		if (!probe.get().succeeded()) {
			return CheckOutcome.unknown(probe.get().error());
		}
		ApiServerCertificates certificates = probe.get().value();
		Optional<ApiServerCertificates.Endpoint> earliest = certificates.earliest();
		if (earliest.isEmpty()) {
			String why = certificates.endpoints().isEmpty() ? "default/kubernetes has no ready IPv4 endpoint"
					: "no endpoint of default/kubernetes answered: " + String.join("; ",
							certificates.endpoints().stream().map(e -> e.address() + " " + e.error()).toList());
			return CheckOutcome.unknown(why);
		}
		int minDays = context.options().minCertsExpirationInDay().value();
		ApiServerCertificates.Endpoint endpoint = earliest.get();
		if (!endpoint.earliestNotAfter().isBefore(context.now().plus(Duration.ofDays(minDays)))) {
			return CheckOutcome.pass();
		}
		long remainingDays = Math.max(0, Duration.between(context.now(), endpoint.earliestNotAfter()).toDays());
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("endpoint", endpoint.address());
		details.put("subject", endpoint.subject());
		details.put("notAfter", DATE.format(endpoint.earliestNotAfter()));
		details.put("remainingDays", remainingDays);
		details.put("minCertsExpirationInDay", minDays);
		details.put("thresholdSetBy", context.options().minCertsExpirationInDay().setBy());
		return CheckOutcome.of(List.of(Finding.of(DEFINITION, "certificate-expires-soon",
				"earliest expiring cert for default/kubernetes ClusterIP is " + DATE.format(endpoint.earliestNotAfter())
						+ ", it will expire in " + remainingDays + " days. Please rotate RKE2 certificates.",
				"Rotate the RKE2 certificates before upgrading: bump spec.rkeConfig.rotateCertificates.generation on "
						+ "clusters.provisioning.cattle.io local -n fleet-local (or enable the auto-rotate-rke2-certs "
						+ "setting), wait for the cluster to settle, then look again.",
				List.of(KUBERNETES_SERVICE), details)));
	}

}
