package io.harvester.upgradereadiness.system.security;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Asks the API server about a bearer token, as kube-rbac-proxy does: a {@code TokenReview}
 * (authentication.k8s.io/v1) says who the token belongs to, then a {@code SubjectAccessReview}
 * (authorization.k8s.io/v1) whether that user may {@code get} the non-resource URL {@link #PATH}. Cluster RBAC
 * decides who may read the report. Needs {@code create} on both review resources (the chart grants it with
 * {@code security.mode: kubernetes}).
 */
class KubernetesAccessReviewer {

	/** The non-resource URL a reader must be allowed to {@code get}. */
	static final String PATH = "/api/v1/upgrade-readiness";

	static final String VERB = "get";

	private final KubernetesClient client;

	KubernetesAccessReviewer(KubernetesClient client) {
		this.client = client;
	}

	/**
	 * Reviews one token.
	 * @throws ReviewUnavailableException when the API server cannot be reached or refuses the review itself
	 */
	AccessDecision review(String token) {
		TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build();
		TokenReview reviewed = call("TokenReview", () -> this.client.authentication().v1().tokenReviews().create(review));
		if (reviewed == null || reviewed.getStatus() == null || !Boolean.TRUE.equals(reviewed.getStatus().getAuthenticated())
				|| reviewed.getStatus().getUser() == null) {
			return AccessDecision.UNAUTHENTICATED;
		}
		UserInfo user = reviewed.getStatus().getUser();
		SubjectAccessReview access = new SubjectAccessReviewBuilder().withNewSpec()
			.withUser(user.getUsername())
			.withUid(user.getUid())
			.withGroups((user.getGroups() != null) ? user.getGroups() : List.of())
			.withExtra((user.getExtra() != null) ? user.getExtra() : Map.of())
			.withNewNonResourceAttributes()
			.withPath(PATH)
			.withVerb(VERB)
			.endNonResourceAttributes()
			.endSpec()
			.build();
		SubjectAccessReview decided = call("SubjectAccessReview",
				() -> this.client.authorization().v1().subjectAccessReview().create(access));
		boolean allowed = decided != null && decided.getStatus() != null
				&& Boolean.TRUE.equals(decided.getStatus().getAllowed())
				&& !Boolean.TRUE.equals(decided.getStatus().getDenied());
		return allowed ? AccessDecision.allowed(user.getUsername()) : AccessDecision.forbidden(user.getUsername());
	}

	/** One review request; every failure is "cannot review now", described without the request body. */
	private static <T> T call(String what, java.util.function.Supplier<T> request) {
		try {
			return request.get();
		}
		catch (KubernetesClientException ex) {
			String why = (ex.getCode() > 0)
					? "HTTP " + ex.getCode() + ((ex.getStatus() != null && ex.getStatus().getMessage() != null)
							? ": " + ex.getStatus().getMessage() : "")
					: "cannot reach the API server" + ((rootCause(ex).getMessage() != null)
							? ": " + rootCause(ex).getMessage() : " (" + rootCause(ex).getClass().getSimpleName() + ")");
			throw new ReviewUnavailableException(what + " failed: " + why, null);
		}
		catch (RuntimeException ex) {
			throw new ReviewUnavailableException(what + " failed: " + ex.getClass().getSimpleName(), null);
		}
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
