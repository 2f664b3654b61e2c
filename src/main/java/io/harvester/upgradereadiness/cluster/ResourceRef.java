package io.harvester.upgradereadiness.cluster;

import java.util.Comparator;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Names one Kubernetes object.
 *
 * @param apiVersion the object's apiVersion, such as {@code cluster.x-k8s.io/v1beta1}
 * @param kind the object's kind
 * @param namespace the namespace, {@code null} for cluster-scoped objects
 * @param name the object's name
 */
@Schema(description = "A Kubernetes object a finding is about.")
public record ResourceRef(
		@Schema(description = "apiVersion of the object.", example = "cluster.x-k8s.io/v1beta1") String apiVersion,
		@Schema(description = "Kind of the object.", example = "Machine") String kind,
		@Schema(description = "Namespace; absent for cluster-scoped objects.", example = "fleet-local",
				nullable = true) String namespace,
		@Schema(description = "Name of the object.", example = "custom-4d279419a084") String name) {

	public static final Comparator<ResourceRef> ORDER = Comparator.comparing(ResourceRef::kind)
		.thenComparing(r -> r.namespace() == null ? "" : r.namespace())
		.thenComparing(ResourceRef::name);

	/** {@code namespace/name}, or {@code name} for cluster-scoped objects. */
	public String qualifiedName() {
		return (this.namespace == null || this.namespace.isEmpty()) ? this.name : this.namespace + "/" + this.name;
	}

	@Override
	public String toString() {
		return this.kind + " " + qualifiedName();
	}

}
