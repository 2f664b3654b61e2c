package io.harvester.upgradereadiness.cluster;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What the snapshot knows about one watched kind.
 *
 * @param kind the kind, such as {@code Machine}
 * @param apiVersion the apiVersion read (discovered live, or found in the files)
 * @param resource the resource as RBAC names it, such as {@code machines.cluster.x-k8s.io}
 * @param present whether the cluster serves this kind (its CRD is installed, or the files hold it)
 * @param synced whether the objects are fully loaded; an absent kind counts as synced (there is nothing to load)
 * @param count how many objects the snapshot holds; while a kind is listed, how many it has listed so far
 * @param message why the kind is absent, not synced or forbidden, {@code null} when all is well
 * @param forbidden whether the service account may not list or watch it (HTTP 403)
 * @param missingRule for a forbidden kind, the RBAC rule the service account lacks
 */
@Schema(description = "What the snapshot knows about one kind of object.")
public record KindStatus(@Schema(example = "Machine") String kind,
		@Schema(example = "cluster.x-k8s.io/v1beta1") String apiVersion,
		@Schema(description = "The resource as RBAC and kubectl name it.",
				example = "machines.cluster.x-k8s.io") String resource,
		@Schema(description = "Whether the cluster serves this kind (CRD installed) or the files hold it.") boolean present,
		@Schema(description = "Whether the objects are fully loaded. An absent kind counts as synced.") boolean synced,
		@Schema(description = "Number of objects held.", example = "4") int count,
		@Schema(description = "Why the kind is absent, not synced or forbidden; absent when all is well.",
				nullable = true) String message,
		@Schema(description = "Whether the service account may not list or watch this kind (HTTP 403).") boolean forbidden,
		@Schema(description = "For a forbidden kind: the RBAC rule the service account lacks.",
				nullable = true) RbacRule missingRule) {

	public KindStatus(String kind, String apiVersion, String resource, boolean present, boolean synced, int count,
			String message) {
		this(kind, apiVersion, resource, present, synced, count, message, false, null);
	}

	public static KindStatus present(WatchedKind kind, String apiVersion, int count) {
		return new KindStatus(kind.kind(), apiVersion, kind.resource(), true, true, count, null);
	}

	public static KindStatus absent(WatchedKind kind, String message) {
		return new KindStatus(kind.kind(), kind.defaultApiVersion(), kind.resource(), false, true, 0, message);
	}

	public static KindStatus syncing(WatchedKind kind, String apiVersion, String message) {
		return syncing(kind, apiVersion, 0, message);
	}

	/** Served and being listed: {@code count} is how many objects its pages have brought so far. */
	public static KindStatus syncing(WatchedKind kind, String apiVersion, int listed, String message) {
		return new KindStatus(kind.kind(), apiVersion, kind.resource(), true, false, listed, message);
	}

	public static KindStatus unknown(WatchedKind kind, String message) {
		return new KindStatus(kind.kind(), kind.defaultApiVersion(), kind.resource(), false, false, 0, message);
	}

	/** The service account may not read the kind: served, not readable; the message spells out the rule. */
	public static KindStatus forbidden(WatchedKind kind, String apiVersion, String reason) {
		RbacRule rule = RbacRule.readOnly(kind);
		return new KindStatus(kind.kind(), apiVersion, kind.resource(), true, false, 0,
				"forbidden: the service account may not list " + kind.resource() + " (" + reason + "); grant "
						+ rule,
				true, rule);
	}

	/** Present and fully loaded: checks can read it. */
	public boolean usable() {
		return this.present && this.synced && !this.forbidden;
	}

	/**
	 * An RBAC rule, as a ClusterRole spells it.
	 *
	 * @param apiGroups the API groups ({@code ""} for core)
	 * @param resources the resources
	 * @param verbs the verbs
	 */
	@Schema(description = "An RBAC rule as a ClusterRole spells it.")
	public record RbacRule(@Schema(example = "[\"cluster.x-k8s.io\"]") java.util.List<String> apiGroups,
			@Schema(example = "[\"machines\"]") java.util.List<String> resources,
			@Schema(example = "[\"get\", \"list\", \"watch\"]") java.util.List<String> verbs) {

		public static RbacRule readOnly(WatchedKind kind) {
			return new RbacRule(java.util.List.of(kind.group()), java.util.List.of(kind.plural()),
					java.util.List.of("get", "list", "watch"));
		}

		@Override
		public String toString() {
			return "apiGroups: [" + String.join(", ", this.apiGroups.stream().map(g -> "\"" + g + "\"").toList())
					+ "], resources: [" + String.join(", ", this.resources) + "], verbs: ["
					+ String.join(", ", this.verbs) + "]";
		}

	}

}
