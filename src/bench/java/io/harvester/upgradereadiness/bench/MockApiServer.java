package io.harvester.upgradereadiness.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.harvester.upgradereadiness.support.SyntheticCluster;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * A read-only API server for the sync benchmark: fabric8's mock web server (plain HTTP on loopback) answering, for
 * a synthetic cluster as an API server serves it (with managedFields), discovery, one list per kind and watches
 * that stay open without events; in a process of its own so that its memory is not the service's. Usage:
 * {@code MockApiServer <nodes>}; prints {@code READY <port> <objects> <bytes>} when it serves, and stops when its
 * input closes.
 * <p>
 * Not the CRUD dispatcher of {@code KubernetesMockServer}: it keeps every object as a string and scans all of them
 * for each request, including each create, and replays every matching object as an event to each new watch. At
 * 305 000 objects seeding takes hours through the API, discovery requests time out (30 s) behind the lists, and
 * the replay doubles what the informers receive; measured that way, the figure would be the mock's.
 */
public final class MockApiServer {

	private static final String RESOURCE_VERSION = "1000000";

	private MockApiServer() {
	}

	public static void main(String[] args) throws IOException {
		int nodes = Integer.parseInt(args[0]);
		java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
		long started = System.nanoTime();
		Lists lists = Lists.of(SyntheticCluster.ofNodes(nodes).withManagedFields());
		System.err.printf("serialised %d objects (%.0f MiB of JSON) in %.1f s%n", lists.objects,
				lists.bytes / 1024.0 / 1024.0, (System.nanoTime() - started) / 1e9);
		MockWebServer server = new MockWebServer();
		server.setDispatcher(new ReadOnlyApi(lists));
		server.start(InetAddress.getLoopbackAddress(), 0);
		System.out.println("READY " + server.getPort() + " " + lists.objects + " " + lists.bytes);
		System.out.flush();
		while (System.in.read() >= 0) {
			// serve until the benchmark closes our input
		}
		server.shutdown();
	}

	/** Objects per page, as the service's informers ask (InformerSnapshotSource.LIST_PAGE_SIZE). */
	static final int PAGE_SIZE = 500;

	/** Every kind's list, serialised once, whole and in pages of {@link #PAGE_SIZE}. */
	static final class Lists {

		final Map<WatchedKind, byte[]> bodies = new EnumMap<>(WatchedKind.class);

		final Map<WatchedKind, List<byte[]>> pages = new EnumMap<>(WatchedKind.class);

		long objects;

		long bytes;

		static Lists of(SyntheticCluster cluster) throws IOException {
			JsonMapper json = JsonMapper.builder().build();
			Map<WatchedKind, ByteArrayOutputStream> outs = new EnumMap<>(WatchedKind.class);
			Map<WatchedKind, JsonGenerator> generators = new EnumMap<>(WatchedKind.class);
			for (WatchedKind kind : WatchedKind.values()) {
				ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
				JsonGenerator generator = json.createGenerator(out);
				generator.writeStartObject();
				generator.writeStringProperty("apiVersion", kind.defaultApiVersion());
				generator.writeStringProperty("kind", kind.kind() + "List");
				generator.writeName("metadata");
				generator.writeStartObject();
				generator.writeStringProperty("resourceVersion", RESOURCE_VERSION);
				generator.writeEndObject();
				generator.writeName("items");
				generator.writeStartArray();
				outs.put(kind, out);
				generators.put(kind, generator);
			}
			Lists lists = new Lists();
			Map<WatchedKind, List<byte[]>> items = new EnumMap<>(WatchedKind.class);
			cluster.generate((kind, object) -> {
				generators.get(kind).writePOJO(object);
				items.computeIfAbsent(kind, k -> new ArrayList<>()).add(json.writeValueAsBytes(object));
				lists.objects++;
			});
			for (WatchedKind kind : WatchedKind.values()) {
				List<byte[]> all = items.getOrDefault(kind, List.of());
				// each object is held three times over (alone, in its page, in the whole list): let go of it alone once paged
				items.remove(kind);
				List<byte[]> pages = new ArrayList<>();
				for (int from = 0; from == 0 || from < all.size(); from += PAGE_SIZE) {
					int to = Math.min(all.size(), from + PAGE_SIZE);
					ByteArrayOutputStream page = new ByteArrayOutputStream();
					String next = (to < all.size()) ? ",\"continue\":\"" + to + "\"" : "";
					page.write(("{\"apiVersion\":\"" + kind.defaultApiVersion() + "\",\"kind\":\"" + kind.kind()
							+ "List\",\"metadata\":{\"resourceVersion\":\"" + RESOURCE_VERSION + "\"" + next
							+ "},\"items\":[").getBytes(StandardCharsets.UTF_8));
					for (int i = from; i < to; i++) {
						if (i > from) {
							page.write(',');
						}
						page.write(all.get(i));
					}
					page.write("]}".getBytes(StandardCharsets.UTF_8));
					pages.add(page.toByteArray());
				}
				lists.pages.put(kind, pages);
			}
			for (WatchedKind kind : WatchedKind.values()) {
				JsonGenerator generator = generators.get(kind);
				generator.writeEndArray();
				generator.writeEndObject();
				generator.close();
				byte[] body = outs.get(kind).toByteArray();
				lists.bodies.put(kind, body);
				lists.bytes += body.length;
			}
			return lists;
		}

	}

	private static String parameter(String target, String name) {
		int query = target.indexOf('?');
		if (query < 0) {
			return null;
		}
		for (String pair : target.substring(query + 1).split("&")) {
			if (pair.startsWith(name + "=")) {
				return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
			}
		}
		return null;
	}

	/** Discovery, lists (whole, or in pre-rendered pages) and idle watches; 404 for anything else. */
	static final class ReadOnlyApi extends Dispatcher {

		private final Map<String, byte[]> documents = new LinkedHashMap<>();

		private final Map<String, WatchedKind> collections = new LinkedHashMap<>();

		private final Lists lists;

		ReadOnlyApi(Lists lists) {
			this.lists = lists;
			JsonMapper json = JsonMapper.builder().build();
			Map<String, List<WatchedKind>> byGroupVersion = new LinkedHashMap<>();
			Set<String> groups = new LinkedHashSet<>();
			for (WatchedKind kind : WatchedKind.values()) {
				String version = kind.versions().get(0);
				String prefix = kind.isCore() ? "/api/" + version : "/apis/" + kind.group() + "/" + version;
				this.collections.put(prefix + "/" + kind.plural(), kind);
				byGroupVersion.computeIfAbsent(prefix, p -> new ArrayList<>()).add(kind);
				if (!kind.isCore()) {
					groups.add(kind.group());
				}
			}
			this.collections.forEach((path, kind) -> this.documents.put(path, lists.bodies.get(kind)));
			byGroupVersion.forEach((prefix, kinds) -> {
				List<Map<String, Object>> resources = new ArrayList<>();
				for (WatchedKind kind : kinds) {
					resources.add(Map.of("name", kind.plural(), "singularName", "", "namespaced", kind.namespaced(),
							"kind", kind.kind(), "verbs", List.of("get", "list", "watch")));
				}
				String groupVersion = prefix.startsWith("/api/") ? prefix.substring(5) : prefix.substring(6);
				this.documents.put(prefix, json.writeValueAsBytes(Map.of("kind", "APIResourceList", "apiVersion", "v1",
						"groupVersion", groupVersion, "resources", resources)));
			});
			List<Map<String, Object>> groupList = new ArrayList<>();
			for (String group : groups) {
				String version = byGroupVersion.keySet()
					.stream()
					.filter(p -> p.startsWith("/apis/" + group + "/"))
					.findFirst()
					.orElseThrow()
					.substring(("/apis/" + group + "/").length());
				Map<String, Object> preferred = Map.of("groupVersion", group + "/" + version, "version", version);
				Map<String, Object> apiGroup = Map.of("kind", "APIGroup", "apiVersion", "v1", "name", group,
						"versions", List.of(preferred), "preferredVersion", preferred);
				groupList.add(apiGroup);
				this.documents.put("/apis/" + group, json.writeValueAsBytes(apiGroup));
			}
			this.documents.put("/apis", json.writeValueAsBytes(Map.of("kind", "APIGroupList", "apiVersion", "v1",
					"groups", groupList)));
			this.documents.put("/api", json.writeValueAsBytes(Map.of("kind", "APIVersions", "versions", List.of("v1"))));
			this.documents.put("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
					"{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSliceList\",\"metadata\":{},\"items\":[]}"
						.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public MockResponse dispatch(RecordedRequest request) {
			String target = request.getPath();
			int query = target.indexOf('?');
			String path = (query < 0) ? target : target.substring(0, query);
			boolean watch = query >= 0 && target.substring(query).contains("watch=true");
			if (watch && this.collections.containsKey(path)) {
				// An established watch that never has anything to say: the cluster does not change.
				return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
				});
			}
			byte[] body = this.documents.get(path);
			String limit = parameter(target, "limit");
			if (this.collections.containsKey(path) && limit != null) {
				if (!limit.equals(Integer.toString(PAGE_SIZE))) {
					throw new IllegalStateException("pages are pre-rendered for limit=" + PAGE_SIZE + ", asked " + limit);
				}
				String next = parameter(target, "continue");
				int page = (next == null) ? 0 : Integer.parseInt(next) / PAGE_SIZE;
				body = this.lists.pages.get(this.collections.get(path)).get(page);
			}
			if (body == null) {
				return new MockResponse().setResponseCode(404)
					.setHeader("Content-Type", "application/json")
					.setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
							+ "\"code\":404}");
			}
			return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
		}

	}

}
