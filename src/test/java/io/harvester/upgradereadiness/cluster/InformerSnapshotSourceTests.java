package io.harvester.upgradereadiness.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The live source's lifecycle against the CRUD mock server. */
@EnableKubernetesMockClient(crud = true)
class InformerSnapshotSourceTests {

	KubernetesClient client;

	KubernetesMockServer server;

	@Test
	void listsEveryKindInPagesSoThatOnlyOnePageOfFullObjectsIsAliveAtATime() throws InterruptedException {
		this.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("harv1").endMetadata().build()).create();
		InformerSnapshotSource source = new InformerSnapshotSource(this.client, Clock.systemUTC(), properties(), false);
		source.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> source.current().isPresent());
		}
		finally {
			source.stop();
		}
		List<String> lists = new ArrayList<>();
		RecordedRequest request;
		while ((request = this.server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
			if (request.getPath().startsWith("/api/v1/nodes?") && !request.getPath().contains("watch=true")) {
				lists.add(request.getPath());
			}
		}
		assertThat(lists).isNotEmpty().allMatch(path -> path.contains("limit=" + InformerSnapshotSource.LIST_PAGE_SIZE));
	}

	@Test
	void letsOnlyABoundedNumberOfKindsListAtOnceAndHandsEachTurnOnOnce() {
		InformerSnapshotSource.ListGate gate = new InformerSnapshotSource.ListGate(2);
		List<Integer> started = new ArrayList<>();
		List<Runnable> turns = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			int kind = i;
			Runnable turn = gate.turn();
			turns.add(turn);
			gate.enqueue(() -> started.add(kind));
		}
		assertThat(started).containsExactly(0, 1);

		turns.get(0).run();
		turns.get(0).run();
		assertThat(started).as("a turn ended twice frees one place").containsExactly(0, 1, 2);

		turns.get(1).run();
		assertThat(started).containsExactly(0, 1, 2, 3);
		gate.close();
		gate.enqueue(() -> started.add(9));
		assertThat(started).as("nothing starts once stopped").containsExactly(0, 1, 2, 3);
	}

	@Test
	void reusesTheSnapshotUntilSomethingChangesAndClosesItsInformersOnStop() {
		this.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("harv1").endMetadata().build()).create();
		InformerSnapshotSource source = new InformerSnapshotSource(this.client, Clock.systemUTC(), properties(), false);
		source.start();
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> source.current().isPresent());
			ClusterSnapshot first = source.current().orElseThrow();
			await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
				.until(() -> source.current().orElseThrow() == source.current().orElseThrow());
			ClusterSnapshot settled = source.current().orElseThrow();
			assertThat(source.current()).containsSame(settled);
			assertThat(settled.nodes()).extracting(KubeObject::name).containsExactly("harv1");
			assertThat(first.version()).isLessThanOrEqualTo(settled.version());

			this.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("harv2").endMetadata().build())
				.create();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(source.current().orElseThrow().nodes()).hasSize(2));
			assertThat(source.current().orElseThrow().version()).isGreaterThan(settled.version());
			assertThat(source.runningInformers()).contains(WatchedKind.NODES, WatchedKind.PODS);
		}
		finally {
			source.stop();
		}
		// Graceful shutdown: no informer keeps watching once the source has stopped.
		assertThat(source.isRunning()).isFalse();
		assertThat(source.runningInformers()).isEmpty();
	}

	private static SnapshotProperties properties() {
		return new SnapshotProperties(null, Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofMinutes(10),
				Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(60));
	}

}
