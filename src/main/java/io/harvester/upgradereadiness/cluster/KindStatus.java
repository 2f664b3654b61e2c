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
 * @param count how many objects the snapshot holds
 * @param message why the kind is absent or not synced, {@code null} when all is well
 */
@Schema(description = "What the snapshot knows about one kind of object.")
public record KindStatus(@Schema(example = "Machine") String kind,
		@Schema(example = "cluster.x-k8s.io/v1beta1") String apiVersion,
		@Schema(description = "The resource as RBAC and kubectl name it.",
				example = "machines.cluster.x-k8s.io") String resource,
		@Schema(description = "Whether the cluster serves this kind (CRD installed) or the files hold it.") boolean present,
		@Schema(description = "Whether the objects are fully loaded. An absent kind counts as synced.") boolean synced,
		@Schema(description = "Number of objects held.", example = "4") int count,
		@Schema(description = "Why the kind is absent or not synced; absent when all is well.",
				nullable = true) String message) {

	public static KindStatus present(WatchedKind kind, String apiVersion, int count) {
		return new KindStatus(kind.kind(), apiVersion, kind.resource(), true, true, count, null);
	}

	public static KindStatus absent(WatchedKind kind, String message) {
		return new KindStatus(kind.kind(), kind.defaultApiVersion(), kind.resource(), false, true, 0, message);
	}

	public static KindStatus syncing(WatchedKind kind, String apiVersion, String message) {
		return new KindStatus(kind.kind(), apiVersion, kind.resource(), true, false, 0, message);
	}

	public static KindStatus unknown(WatchedKind kind, String message) {
		return new KindStatus(kind.kind(), kind.defaultApiVersion(), kind.resource(), false, false, 0, message);
	}

	/** Present and fully loaded: checks can read it. */
	public boolean usable() {
		return this.present && this.synced;
	}

}
