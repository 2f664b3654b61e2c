package io.harvester.upgradereadiness.check.live;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.ProbeResult;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.cluster.WebhookCertificates;

/**
 * The admission webhooks' serving certificates must outlive the upgrade, like the API server's
 * ({@code apiserver-certificate-expiry}, with the same {@code minCertsExpirationInDay} threshold, default 7 days).
 * The API server calls these webhooks for every matching request; once a webhook's certificate has expired, every
 * request it intercepts fails with {@code x509: certificate has expired}. harvester/harvester#11380: the CDI
 * webhook {@code datavolume-mutate.cdi.kubevirt.io} had expired, so no image could be uploaded and the upgrade could
 * not start. No Harvester component checks it.
 * <p>
 * Live only: every few minutes, with the API server's certificates, the service dials each webhook of the
 * validating and mutating webhook configurations where the API server would (the ClusterIP and port of its
 * {@code clientConfig.service}, or its {@code clientConfig.url}) and reads the presented chain without verifying
 * it. A place that does not answer (a disabled add-on's webhook, a service without endpoints) is not a finding: it
 * is listed in the details of the findings, and the check is unknown only when no webhook answered at all.
 */
public final class WebhookCertificateExpiryCheck implements Check {

	public static final String ID = "webhook-certificate-expiry";

	static final CheckDefinition DEFINITION = new CheckDefinition(ID, "Webhook certificates outlive the upgrade",
			"platform", Severity.ERROR, true,
			"The serving certificate of every admission webhook (validatingwebhookconfigurations and "
					+ "mutatingwebhookconfigurations, dialled through their service's ClusterIP and port or their "
					+ "URL) must be valid for at least minCertsExpirationInDay more days (default 7). Live only; read "
					+ "by a TLS handshake every few minutes.",
			List.of(),
			"Ours: the failure of harvester/harvester#11380 (an expired CDI webhook certificate breaks image upload "
					+ "and the upgrade); no Harvester component checks it",
			null);

	private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

	private static final int NAMED_WEBHOOKS = 3;

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		if (!context.live()) {
			return CheckOutcome.skipped("needs a TLS handshake with each admission webhook, which a file snapshot "
					+ "cannot give");
		}
		Optional<ProbeResult<WebhookCertificates>> probe = snapshot.webhookCertificates();
		if (probe.isEmpty()) {
			return CheckOutcome.unknown("the webhook certificates have not been read yet");
		}
		if (!probe.get().succeeded()) {
			return CheckOutcome.unknown(probe.get().error());
		}
		List<WebhookCertificates.Target> targets = probe.get().value().targets();
		List<String> unanswered = targets.stream()
			.filter(t -> t.endpoint().earliestNotAfter() == null)
			.map(t -> t.target() + " (" + t.endpoint().error() + ")")
			.toList();
		if (!targets.isEmpty() && unanswered.size() == targets.size()) {
			return CheckOutcome.unknown("no admission webhook answered: " + String.join("; ", unanswered));
		}
		int minDays = context.options().minCertsExpirationInDay().value();
		Instant threshold = context.now().plus(Duration.ofDays(minDays));
		List<Finding> findings = new ArrayList<>();
		for (WebhookCertificates.Target target : targets) {
			Instant notAfter = target.endpoint().earliestNotAfter();
			if (notAfter == null || !notAfter.isBefore(threshold)) {
				continue;
			}
			findings.add(finding(target, notAfter, context, minDays, unanswered));
		}
		return CheckOutcome.of(findings);
	}

	private static Finding finding(WebhookCertificates.Target target, Instant notAfter, CheckContext context,
			int minDays, List<String> unanswered) {
		List<String> names = target.webhooks().stream().map(WebhookCertificates.Webhook::name).distinct().toList();
		String shown = String.join(", ", names.subList(0, Math.min(NAMED_WEBHOOKS, names.size())))
				+ ((names.size() > NAMED_WEBHOOKS) ? " and " + (names.size() - NAMED_WEBHOOKS) + " more" : "");
		boolean expired = !notAfter.isAfter(context.now());
		long remainingDays = Math.max(0, Duration.between(context.now(), notAfter).toDays());
		String when = expired ? "expired on " + DATE.format(notAfter)
				: "expires on " + DATE.format(notAfter) + ", in " + remainingDays + " days";
		Set<ResourceRef> resources = new LinkedHashSet<>();
		if (target.service() != null) {
			resources.add(target.service());
		}
		target.webhooks().forEach(w -> resources.add(w.configuration()));
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("target", target.target());
		details.put("endpoint", target.endpoint().address());
		details.put("subject", target.endpoint().subject());
		details.put("notAfter", DATE.format(notAfter));
		details.put("remainingDays", remainingDays);
		details.put("webhooks", names);
		details.put("minCertsExpirationInDay", minDays);
		details.put("thresholdSetBy", context.options().minCertsExpirationInDay().setBy());
		if (!unanswered.isEmpty()) {
			details.put("unanswered", unanswered);
		}
		String owner = (target.service() != null)
				? "the pods behind service " + target.service().qualifiedName() + " (kubectl get endpointslices -n "
						+ target.service().namespace() + " -l kubernetes.io/service-name=" + target.service().name()
						+ " names them)"
				: "the server at " + target.target();
		return Finding.of(DEFINITION, "webhook-certificate-expires-soon",
				"the serving certificate of webhook " + shown + " at " + target.target() + " " + when,
				"Renew the certificate served by " + owner + " before upgrading: the component that owns the "
						+ "webhook issues it (CDI's cdi-operator for *.cdi.kubevirt.io, virt-operator for "
						+ "*.kubevirt.io, Harvester's webhook for *.harvesterhci.io); check that component's "
						+ "operator log and restart the serving pods (kubectl rollout restart) so that they load the "
						+ "renewed certificate. Until then every request the webhook intercepts fails with x509: "
						+ "certificate has expired.",
				List.copyOf(resources), details);
	}

}
