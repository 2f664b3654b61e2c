package io.harvester.upgradereadiness.cluster;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Snapshots keep only what the checks read of each kind; reading anything else is refused. */
class ProjectionTests {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private static final String NODE = """
			apiVersion: v1
			kind: Node
			metadata:
			  name: harv1
			  resourceVersion: "42"
			  labels: {kubernetes.io/hostname: harv1}
			  annotations:
			    cluster.x-k8s.io/machine: custom-a
			    kubectl.kubernetes.io/last-applied-configuration: '{"a": "very long document"}'
			  managedFields:
			  - manager: kubelet
			    operation: Update
			    fieldsType: FieldsV1
			    fieldsV1: {"f:status": {"f:images": {}}}
			spec:
			  providerID: rke2://harv1
			  podCIDR: 10.52.0.0/24
			status:
			  conditions: [{type: Ready, status: "True"}]
			  images: [{names: [registry/a:1], sizeBytes: 1}]
			  nodeInfo: {kubeletVersion: v1.31.7}
			""";

	@Test
	void keepsOnlyTheFieldsAndAnnotationsTheChecksRead() {
		KubeObject node = KubeObject.of(resource(NODE));

		assertThat(node.string("spec.providerID")).contains("rke2://harv1");
		assertThat(node.condition("status.conditions", "Ready")).hasValueSatisfying(c -> assertThat(c.isTrue()).isTrue());
		assertThat(node.label("kubernetes.io/hostname")).contains("harv1");
		assertThat(node.annotation("cluster.x-k8s.io/machine")).contains("custom-a");
		assertThat(node.annotations()).containsOnlyKeys("cluster.x-k8s.io/machine");
		assertThatIllegalStateException().isThrownBy(() -> node.value("status.images"))
			.withMessageStartingWith("Field status.images of Node is not kept: add it to the projection of its "
					+ "WatchedKind (keep [spec.providerID, spec.taints, spec.unschedulable, status.conditions, status.allocatable]");
		assertThatIllegalStateException().isThrownBy(() -> node.value("status"))
			.as("a partial map is not handed out as if it were whole");
		assertThatIllegalStateException()
			.isThrownBy(() -> node.annotation("kubectl.kubernetes.io/last-applied-configuration"));
	}

	@Test
	void keepsWholeSubtreesAndMisshapenValuesAsTheyAre() {
		Projection projection = Projection.keep("status.nodeRef", "status.phase", "spec.providerID");

		Map<String, Object> kept = projection.project(Map.of("spec", "not an object", "status",
				Map.of("phase", "Running", "nodeRef", Map.of("name", "harv1", "uid", "u-1"), "addresses", List.of())));

		assertThat(kept).isEqualTo(Map.of("spec", "not an object", "status",
				Map.of("phase", "Running", "nodeRef", Map.of("name", "harv1", "uid", "u-1"))));
		assertThat(projection.covers("status.nodeRef.name".split("\\."))).isTrue();
		assertThat(projection.covers("status".split("\\."))).isFalse();
		assertThat(projection.covers("status.addresses".split("\\."))).isFalse();
	}

	@Test
	void theInformerStoreHoldsViewsAndGivesTheInformerBackIdentityAndVersion() {
		ViewStore store = new ViewStore(WatchedKind.NODES);
		GenericKubernetesResource node = resource(NODE);

		assertThat(store.put(store.getKey(node), node)).isNull();
		GenericKubernetesResource back = store.get("harv1");

		assertThat(back.getMetadata().getName()).isEqualTo("harv1");
		assertThat(back.getMetadata().getResourceVersion()).isEqualTo("42");
		assertThat(back.getMetadata().getManagedFields()).isNullOrEmpty();
		assertThat(back.getAdditionalProperties()).isEmpty();
		assertThat(store.views()).singleElement()
			.satisfies(view -> assertThat(view.string("spec.providerID")).contains("rke2://harv1"));
		assertThat(store.remove("harv1").getMetadata().getResourceVersion()).isEqualTo("42");
		assertThat(store.size()).isZero();
	}

	@Test
	void podsKeepTheirEffectiveRequestAndOnlyLauncherPodsTheirSchedulingConstraints() {
		String launcher = """
				apiVersion: v1
				kind: Pod
				metadata:
				  name: virt-launcher-vm-a-x2k9l
				  namespace: default
				  labels: {kubevirt.io: virt-launcher, vm.kubevirt.io/name: vm-a}
				spec:
				  nodeName: n1
				  nodeSelector: {kubevirt.io/schedulable: "true"}
				  tolerations: [{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute}]
				  overhead: {memory: 100Mi}
				  initContainers:
				  - {name: setup, resources: {requests: {cpu: "2", memory: 1Gi}}}
				  - {name: sidecar, restartPolicy: Always, resources: {requests: {cpu: 100m, memory: 64Mi}}}
				  containers:
				  - {name: compute, image: virt-launcher:1.5, resources: {requests: {cpu: 500m, memory: 8Gi, devices.kubevirt.io/kvm: "1"}}}
				  - {name: guest-console-log, resources: {requests: {cpu: 5m, memory: 35M}}}
				status: {phase: Running}
				""";
		KubeObject pod = KubeObject.of(resource(launcher));

		// cpu: max(init 2000m, containers 505m + sidecar 100m); memory: containers + sidecar + overhead
		assertThat(pod.value(PodRequests.KEY)).contains(Map.of("cpu", 2000L, "memory",
				8L * 1024 * 1024 * 1024 + 35_000_000L + 64L * 1024 * 1024 + 100L * 1024 * 1024,
				"devices.kubevirt.io/kvm", 1L));
		assertThat(pod.map(PodScheduling.KEY)).containsOnlyKeys("nodeSelector", "tolerations");
		assertThatIllegalStateException().isThrownBy(() -> pod.value("spec.containers"));

		KubeObject other = KubeObject.of(resource(launcher.replace("kubevirt.io: virt-launcher", "app: web")));
		assertThat(other.value(PodScheduling.KEY)).as("not a launcher, no anti-affinity").isEmpty();
		assertThat(KubeObject.of(resource(launcher.replace("cpu: 500m", "cpu: lots"))).value(PodRequests.KEY))
			.contains("spec.containers[].resources.requests.cpu is not a quantity: lots");
	}

	private static GenericKubernetesResource resource(String yaml) {
		return SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class);
	}

}
