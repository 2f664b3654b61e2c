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
					+ "WatchedKind (keep [spec.providerID, spec.taints, spec.unschedulable, status.allocatable, "
					+ "status.conditions[].type, status.conditions[].status, status.conditions[].reason, "
					+ "status.conditions[].message]");
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
	@SuppressWarnings("unchecked")
	void keepsOfAListsItemsOnlyTheNamedFieldsAndRefusesReadingTheOthers() {
		Projection projection = Projection.keep("status.phase").conditions("status.conditions");
		Map<String, Object> ready = Map.of("type", "Ready", "status", "False", "reason", "KubeletNotReady", "message",
				"PLEG is not healthy", "lastHeartbeatTime", "2026-11-30T10:00:00Z", "lastTransitionTime",
				"2026-11-30T09:00:00Z");

		Map<String, Object> kept = projection.project(Map.of("status",
				Map.of("phase", "Running", "conditions", List.of(ready, "not an object"))));

		List<Object> conditions = (List<Object>) ((Map<?, ?>) kept.get("status")).get("conditions");
		assertThat(conditions).containsExactly(Map.of("type", "Ready", "status", "False", "reason", "KubeletNotReady",
				"message", "PLEG is not healthy"), "not an object");
		assertThatIllegalStateException().isThrownBy(() -> ((Map<?, ?>) conditions.get(0)).get("lastTransitionTime"))
			.withMessage("Field lastTransitionTime of the items of status.conditions[] is not kept: add "
					+ "status.conditions[].lastTransitionTime to the projection of its WatchedKind");
		assertThat(projection.covers("status.conditions".split("\\."))).as("the list is read whole").isTrue();
		assertThat(projection.project(Map.of("status", Map.of("conditions", Map.of("type", "Ready")))))
			.as("a conditions field of the wrong shape is kept as it is, for its check to report")
			.isEqualTo(Map.of("status", Map.of("conditions", Map.of("type", "Ready"))));
	}

	@Test
	void readingWhileParsingKeepsTheSameItemFieldsAsProjectingAParsedObject() {
		String pod = """
				{"apiVersion":"v1","kind":"Pod","metadata":{"name":"virt-launcher-a","namespace":"default"},
				 "spec":{"nodeName":"harv1","containers":[{"name":"compute","resources":{"requests":{"cpu":"1"}}}]},
				 "status":{"phase":"Running",
				   "conditions":[{"type":"Ready","status":"True","lastProbeTime":null,
				                  "lastTransitionTime":"2026-11-30T09:00:00Z"}],
				   "containerStatuses":[{"name":"compute","ready":false,"restartCount":3,
				     "state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":1}},
				     "image":"registry.suse.com/suse/sles/15.6/virt-launcher:1.4.0",
				     "imageID":"registry.suse.com/suse/sles/15.6/virt-launcher@sha256:0123456789abcdef",
				     "containerID":"containerd://0123456789abcdef0123456789abcdef"}]}}
				""";
		KubeObject parsed = KubeObject.of(WatchedKind.PODS, SERIALIZATION.unmarshal(pod, GenericKubernetesResource.class));
		KubeObject streamed;
		try (tools.jackson.core.JsonParser parser = tools.jackson.databind.json.JsonMapper.builder()
			.build()
			.createParser("{\"items\":[" + pod + "]}")) {
			streamed = ObjectStreamReader.listPage(parser, WatchedKind.PODS, "v1").items().get(0).view();
		}

		for (KubeObject view : List.of(parsed, streamed)) {
			assertThat(view.objects("status.containerStatuses")).containsExactly(Map.of("name", "compute", "ready",
					false, "restartCount", 3, "state", Map.of("waiting", Map.of("reason", "CrashLoopBackOff"))));
			assertThat(view.objects("status.conditions"))
				.containsExactly(Map.of("type", "Ready", "status", "True"));
			assertThatIllegalStateException()
				.isThrownBy(() -> view.objects("status.containerStatuses").get(0).get("imageID"));
		}
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
	void theInformerStoreKeysByNamespaceAndNameAndGivesBackAnyResourceVersionAsItCame() {
		ViewStore store = new ViewStore(WatchedKind.PODS);
		for (String[] pod : new String[][] { { "default", "a", "7" }, { "harvester-system", "a", "0012" },
				{ "default", "b", "opaque-1" }, { "default", "c", "18446744073709551615" } }) {
			GenericKubernetesResource resource = new GenericKubernetesResource();
			resource.setApiVersion("v1");
			resource.setKind("Pod");
			resource.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(pod[0])
				.withName(pod[1])
				.withResourceVersion(pod[2])
				.build());
			assertThat(store.put(store.getKey(resource), resource)).isNull();
		}

		assertThat(store.keySet()).containsExactlyInAnyOrder("default/a", "harvester-system/a", "default/b",
				"default/c");
		assertThat(store.get("default/a").getMetadata().getResourceVersion()).isEqualTo("7");
		assertThat(store.get("harvester-system/a").getMetadata().getResourceVersion()).isEqualTo("0012");
		assertThat(store.get("default/b").getMetadata().getResourceVersion()).isEqualTo("opaque-1");
		assertThat(store.get("default/c").getMetadata().getResourceVersion()).isEqualTo("18446744073709551615");
		assertThat(store.get("other/a")).isNull();
		assertThat(store.remove("default/a").getMetadata().getNamespace()).isEqualTo("default");
		assertThat(store.remove("default/a")).isNull();
		assertThat(store.size()).isEqualTo(3);
		assertThat(store.views()).extracting(KubeObject::ref)
			.extracting(ResourceRef::namespace, ResourceRef::name)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("harvester-system", "a"),
					org.assertj.core.groups.Tuple.tuple("default", "b"), org.assertj.core.groups.Tuple.tuple("default", "c"));
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
