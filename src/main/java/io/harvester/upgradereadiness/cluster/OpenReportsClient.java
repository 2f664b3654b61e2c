package io.harvester.upgradereadiness.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The one write the service can make, opt-in: the OpenReports {@code Report} ({@code openreports.io/v1alpha1},
 * namespaced) it publishes. What to write, when and how often is the publisher's; this class only asks the API server
 * whether it serves the kind and puts one object, and says how that went.
 */
public final class OpenReportsClient {

	public static final String GROUP = "openreports.io";

	public static final String VERSION = "v1alpha1";

	public static final String API_VERSION = GROUP + "/" + VERSION;

	public static final String KIND = "Report";

	public static final String PLURAL = "reports";

	/** The resource as RBAC and the CRD name it: {@code reports.openreports.io}. */
	public static final String RESOURCE = PLURAL + "." + GROUP;

	private static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder().withGroup(GROUP)
		.withVersion(VERSION)
		.withKind(KIND)
		.withPlural(PLURAL)
		.withNamespaced(true)
		.build();

	private final KubernetesClient client;

	public OpenReportsClient(KubernetesClient client) {
		this.client = client;
	}

	/** The namespace the client is configured for: the pod's own in a cluster, the kubeconfig context's outside. */
	public String configuredNamespace() {
		String namespace = this.client.getNamespace();
		return (namespace == null || namespace.isBlank()) ? "default" : namespace;
	}

	/**
	 * Whether the API server serves {@code reports.openreports.io}: asked the way a real API server answers, through
	 * the {@code APIResourceList} at {@code /apis/openreports.io/v1alpha1} (stack notes, trap 12), which lists
	 * {@code reports} exactly while the CRD is installed and served.
	 * @throws KubernetesClientException when the API server cannot be asked
	 */
	public boolean served() {
		APIResourceList resources = this.client.getApiResources(API_VERSION);
		return resources != null && resources.getResources() != null
				&& resources.getResources().stream().anyMatch(r -> PLURAL.equals(r.getName()));
	}

	/**
	 * Creates the report, or replaces the one there unless {@code unchanged} says it already holds the same content.
	 * Labels and annotations that others put on the object are kept. Never throws.
	 * @param desired the report, with namespace and name
	 * @param unchanged whether the object on the server (first) already says what the desired one (second) says
	 */
	public Write put(GenericKubernetesResource desired, BiPredicate<GenericKubernetesResource, GenericKubernetesResource> unchanged) {
		String namespace = desired.getMetadata().getNamespace();
		String name = desired.getMetadata().getName();
		try {
			var reports = this.client.genericKubernetesResources(CONTEXT).inNamespace(namespace);
			GenericKubernetesResource existing = reports.withName(name).get();
			if (existing == null) {
				reports.resource(desired).create();
				return new Write(Outcome.CREATED, null);
			}
			if (unchanged.test(existing, desired)) {
				return new Write(Outcome.UNCHANGED, null);
			}
			GenericKubernetesResource replacement = this.client.getKubernetesSerialization()
				.clone(desired);
			replacement.getMetadata().setLabels(merged(existing.getMetadata().getLabels(),
					desired.getMetadata().getLabels()));
			replacement.getMetadata().setAnnotations(merged(existing.getMetadata().getAnnotations(),
					desired.getMetadata().getAnnotations()));
			// The version read: a change made meanwhile by someone else is a 409, never overwritten unseen.
			replacement.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
			reports.resource(replacement).update();
			return new Write(Outcome.UPDATED, null);
		}
		catch (KubernetesClientException ex) {
			return switch (ex.getCode()) {
				case 409 -> new Write(Outcome.CONFLICT, "HTTP 409 Conflict: the Report was changed meanwhile");
				case 403 -> new Write(Outcome.FORBIDDEN, "HTTP 403 Forbidden");
				default -> new Write(Outcome.ERROR, message(ex));
			};
		}
		catch (RuntimeException ex) {
			return new Write(Outcome.ERROR, message(ex));
		}
	}

	private static Map<String, String> merged(Map<String, String> theirs, Map<String, String> ours) {
		Map<String, String> merged = new LinkedHashMap<>();
		if (theirs != null) {
			merged.putAll(theirs);
		}
		if (ours != null) {
			merged.putAll(ours);
		}
		return merged;
	}

	/** The message of the exception and of its root cause: {@code ... (Connection refused)}. */
	public static String message(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String rootMessage = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		if (root == error) {
			return rootMessage;
		}
		String message = (error.getMessage() != null) ? error.getMessage() : error.getClass().getSimpleName();
		return message.contains(rootMessage) ? message : message + " (" + rootMessage + ")";
	}

	/** How one write went. */
	public enum Outcome {

		/** The report did not exist and was created. */
		CREATED,
		/** The report was replaced with new content. */
		UPDATED,
		/** The report on the server already said the same: nothing was written. */
		UNCHANGED,
		/** Someone changed the report between our read and our write (HTTP 409). */
		CONFLICT,
		/** The service account may not read or write reports in the namespace (HTTP 403). */
		FORBIDDEN,
		/** Anything else: the API server unreachable, the CRD gone (404), an invalid object (422). */
		ERROR;

		/** Whether something was written. */
		public boolean wrote() {
			return this == CREATED || this == UPDATED;
		}

		/** Whether the report on the server now holds the content asked for. */
		public boolean succeeded() {
			return wrote() || this == UNCHANGED;
		}

	}

	/**
	 * @param outcome how it went
	 * @param message why it failed, {@code null} when it did not
	 */
	public record Write(Outcome outcome, String message) {
	}

}
