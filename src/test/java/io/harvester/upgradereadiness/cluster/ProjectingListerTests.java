package io.harvester.upgradereadiness.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The informers' own list call: the API server's pages read straight into the views, over real HTTP against the
 * mock server in expectation mode (which serves exactly the bytes the API server would).
 */
@EnableKubernetesMockClient
class ProjectingListerTests {

	/**
	 * A page as the API server writes it: items of a built-in kind say no apiVersion or kind, carry managedFields
	 * and fields no check reads; here the list's metadata comes after its items, which JSON allows.
	 */
	static final String PAGE_ONE = """
			{"kind":"NodeList","apiVersion":"v1","items":[
			  {"metadata":{"name":"harv1","uid":"u1","resourceVersion":"101","labels":{"node-role":"cp"},
			    "annotations":{"cluster.x-k8s.io/machine":"custom-1","kubectl.kubernetes.io/last-applied":"{}"},
			    "managedFields":[{"manager":"kubelet","fieldsV1":{"f:status":{}}}]},
			   "spec":{"providerID":"rke2://harv1","podCIDR":"10.52.0.0/24"},
			   "status":{"conditions":[{"type":"Ready","status":"True"}],"images":[{"names":["a"],"sizeBytes":1}]}},
			  {"apiVersion":"v1","kind":"Node","metadata":{"name":"harv2","resourceVersion":"102"}}
			],"metadata":{"resourceVersion":"200","continue":"page-2"}}
			""";

	static final String PAGE_TWO = """
			{"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"200"},
			 "items":[{"metadata":{"name":"harv3","resourceVersion":"103"}}]}
			""";

	KubernetesClient client;

	KubernetesMockServer server;

	final ExecutorService parsing = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopParsing() {
		this.parsing.shutdownNow();
	}

	@Test
	void readsAPageOfTheApiServersListIntoViewsKeepingOnlyTheProjectionAndTheResourceVersion() {
		JsonMapper json = JsonMapper.builder().build();
		ObjectStreamReader.ListPage page;
		try (JsonParser parser = json.createParser(PAGE_ONE)) {
			page = ObjectStreamReader.listPage(parser, WatchedKind.NODES, "v1");
		}

		assertThat(page.resourceVersion()).isEqualTo("200");
		assertThat(page.continueToken()).isEqualTo("page-2");
		assertThat(page.items()).extracting(ObjectStreamReader.Listed::resourceVersion).containsExactly("101", "102");
		KubeObject harv1 = page.items().get(0).view();
		assertThat(harv1.ref()).isEqualTo(new ResourceRef("v1", "Node", null, "harv1"));
		assertThat(harv1.labels()).isEqualTo(Map.of("node-role", "cp"));
		assertThat(harv1.annotations()).as("only the kept annotations")
			.isEqualTo(Map.of("cluster.x-k8s.io/machine", "custom-1"));
		assertThat(harv1.string("spec.providerID")).hasValue("rke2://harv1");
		assertThat(harv1.value("status.conditions"))
			.hasValue(List.of(Map.of("type", "Ready", "status", "True")));
		assertThat(harv1.value("spec.taints")).as("a kept field the object does not have").isEmpty();
	}

	@Test
	void listsPageByPageThroughTheClientAndHandsTheInformerIdentityResourceVersionAndView() throws Exception {
		this.server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, PAGE_ONE).once();
		this.server.expect().get().withPath("/api/v1/nodes?continue=page-2&limit=500").andReturn(200, PAGE_TWO).once();
		ProjectingLister lister = lister();

		GenericKubernetesResourceList first = lister.submitList(new ListOptionsBuilder().withLimit(500L).build())
			.get(10, TimeUnit.SECONDS);
		GenericKubernetesResourceList second = lister
			.submitList(new ListOptionsBuilder().withLimit(500L).withContinue("page-2").build())
			.get(10, TimeUnit.SECONDS);

		assertThat(first.getMetadata().getContinue()).isEqualTo("page-2");
		assertThat(first.getMetadata().getResourceVersion()).isEqualTo("200");
		assertThat(second.getMetadata().getContinue()).isNull();
		assertThat(first.getItems()).extracting(item -> item.getMetadata().getName(),
				item -> item.getMetadata().getResourceVersion())
			.containsExactly(org.assertj.core.groups.Tuple.tuple("harv1", "101"),
					org.assertj.core.groups.Tuple.tuple("harv2", "102"));
		GenericKubernetesResource harv3 = second.getItems().get(0);
		assertThat(harv3).isInstanceOf(ProjectingLister.Listed.class);
		assertThat(((ProjectingLister.Listed) harv3).view().ref())
			.isEqualTo(new ResourceRef("v1", "Node", null, "harv3"));
		assertThat(harv3.getAdditionalProperties()).as("the informer holds no body").isEmpty();
	}

	@Test
	void anApiServerErrorIsTheClientExceptionWithItsCodeAndStatusMessage() {
		this.server.expect()
			.get()
			.withPath("/api/v1/nodes?limit=500")
			.andReturn(403, new StatusBuilder().withCode(403)
				.withReason("Forbidden")
				.withMessage("nodes is forbidden: User \"system:serviceaccount:x:y\" cannot list resource \"nodes\"")
				.build())
			.once();

		assertThatThrownBy(() -> lister().submitList(new ListOptionsBuilder().withLimit(500L).build()).get())
			.isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOfSatisfying(KubernetesClientException.class, (ex) -> {
				assertThat(ex.getCode()).isEqualTo(403);
				assertThat(ex.getMessage()).contains("cannot list resource \"nodes\"");
			});
	}

	@Test
	void anErrorThatIsNoStatusIsTheClientExceptionWithItsCodeAndText() {
		// what the API server answers, as plain text, for a path it does not serve
		this.server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(404, "404 page not found\n").once();

		assertThatThrownBy(() -> lister().submitList(new ListOptionsBuilder().withLimit(500L).build()).get())
			.cause()
			.isInstanceOfSatisfying(KubernetesClientException.class, (ex) -> {
				assertThat(ex.getCode()).isEqualTo(404);
				assertThat(ex.getStatus().getMessage()).isEqualTo("404 page not found");
			});
	}

	@Test
	void aListThatIsNotJsonOrNotAListFailsTheListNamingTheKindAndWhy() {
		this.server.expect().get().withPath("/api/v1/nodes?limit=500").andReturn(200, "{\"items\":[1]}").once();
		this.server.expect().get().withPath("/api/v1/nodes?limit=1").andReturn(200, "{\"items\":[{\"met").once();

		assertThatThrownBy(() -> lister().submitList(new ListOptionsBuilder().withLimit(500L).build()).get())
			.cause()
			.isInstanceOf(KubernetesClientException.class)
			.hasMessageStartingWith("Cannot read the list of nodes from ")
			.hasMessageEndingWith(": item 1 is not an object");
		assertThatThrownBy(() -> lister().submitList(new ListOptionsBuilder().withLimit(1L).build()).get())
			.cause()
			.isInstanceOf(KubernetesClientException.class)
			.hasMessageStartingWith("Cannot read the list of nodes from ")
			.hasMessageContaining("Unexpected end-of-input");
	}

	private ProjectingLister lister() {
		ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup("")
			.withVersion("v1")
			.withKind("Node")
			.withPlural("nodes")
			.withNamespaced(false)
			.build();
		return new ProjectingLister(this.client, WatchedKind.NODES, context, 500, this.parsing);
	}

}
