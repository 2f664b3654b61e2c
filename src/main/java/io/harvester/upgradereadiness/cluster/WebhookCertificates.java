package io.harvester.upgradereadiness.cluster;

import java.time.Instant;
import java.util.List;

/**
 * The serving certificates of the cluster's admission webhooks, read by a TLS handshake with each webhook of the
 * validating and mutating webhook configurations: through its {@code clientConfig.service} (the Service's ClusterIP
 * and port, as the API server reaches it) or its {@code clientConfig.url}. Webhooks served at the same place are
 * dialled once.
 *
 * @param checkedAt when the webhooks were last probed
 * @param targets one entry per place webhooks are served, in the order of their {@code target}
 */
public record WebhookCertificates(Instant checkedAt, List<Target> targets) {

	public WebhookCertificates {
		targets = List.copyOf(targets);
	}

	/**
	 * One webhook of a configuration.
	 *
	 * @param configuration the ValidatingWebhookConfiguration or MutatingWebhookConfiguration holding it
	 * @param name the webhook's name, such as {@code datavolume-mutate.cdi.kubevirt.io}
	 */
	public record Webhook(ResourceRef configuration, String name) {
	}

	/**
	 * Where one or more webhooks are served, and the certificate found there.
	 *
	 * @param target {@code service <namespace>/<name>:<port>} or the URL
	 * @param service the Service, {@code null} for a URL
	 * @param endpoint the address dialled and what it presented; its {@code error} says why the target could not
	 * be read (no such Service, a headless one, a failed handshake)
	 * @param webhooks the webhooks served there
	 */
	public record Target(String target, ResourceRef service, ApiServerCertificates.Endpoint endpoint,
			List<Webhook> webhooks) {

		public Target {
			webhooks = List.copyOf(webhooks);
		}

	}

}
