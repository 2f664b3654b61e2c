package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a snapshot from what {@code kubectl get -o yaml|json} prints and what a Harvester support bundle's
 * {@code yamls/} tree holds: single objects, multi-document YAML, {@code kind: List} and typed lists.
 * <p>
 * Documents are split with the YAML engine fabric8 ships and every object goes through fabric8's own
 * serialization into a {@link GenericKubernetesResource}, so fields no check reads (such as the
 * {@code priority: "2.0E9"} support-bundle-kit writes) never refuse a file. A file that is not YAML or JSON at all
 * is refused with its name and line.
 */
public final class SnapshotFileReader {

	private static final Set<String> EXTENSIONS = Set.of("yaml", "yml", "json");

	private final KubernetesSerialization serialization = new KubernetesSerialization();

	/** Reads one value at a time from a parser that goes on (items of a list, documents of a file). */
	private final JsonMapper json = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	/** One file to read, wherever it lives (disk or classpath). */
	public interface SnapshotFile {

		/** The path relative to the snapshot root, with {@code /} separators. */
		String relativePath();

		/** How the file is named in messages. */
		String displayName();

		InputStream open() throws IOException;

	}

	/** Reads a file or a directory tree from disk. */
	public ClusterSnapshot read(Path location, Instant takenAt) {
		if (!Files.exists(location)) {
			throw new SnapshotReadException("Snapshot path " + location + " does not exist");
		}
		if (!Files.isReadable(location)) {
			throw new SnapshotReadException("Snapshot path " + location + " is not readable");
		}
		List<SnapshotFile> files = new ArrayList<>();
		if (Files.isDirectory(location)) {
			try (Stream<Path> walk = Files.walk(location)) {
				walk.filter(Files::isRegularFile).sorted().forEach(p -> files.add(diskFile(location.relativize(p), p)));
			}
			catch (IOException | UncheckedIOException ex) {
				throw new SnapshotReadException("Cannot list snapshot directory " + location + ": " + ex.getMessage(), ex);
			}
		}
		else {
			files.add(diskFile(location.getFileName(), location));
		}
		return read(files, "file:" + location.toAbsolutePath().normalize(), takenAt);
	}

	/** Reads the given files as one snapshot. */
	public ClusterSnapshot read(List<SnapshotFile> files, String source, Instant takenAt) {
		Accumulator acc = new Accumulator();
		for (SnapshotFile file : files) {
			if (!EXTENSIONS.contains(extension(file.relativePath()))) {
				acc.filesIgnored++;
				continue;
			}
			acc.filesRead++;
			readFile(file, acc);
		}
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder(source, takenAt, 1);
		for (WatchedKind kind : WatchedKind.values()) {
			Map<String, KubeObject> found = acc.objects.get(kind);
			if (found != null) {
				builder.present(kind, acc.apiVersions.get(kind), List.copyOf(found.values()));
			}
			else {
				builder.status(KindStatus.absent(kind, "no file in the snapshot holds " + kind.resource()), kind);
			}
		}
		int objectsRead = acc.objects.values().stream().mapToInt(Map::size).sum();
		return builder.fileStats(new SnapshotFileStats(acc.filesRead, acc.filesIgnored, objectsRead,
				acc.objectsIgnored, acc.documentsIgnored, acc.duplicatesIgnored))
			.build();
	}

	private void readFile(SnapshotFile file, Accumulator acc) {
		if (extension(file.relativePath()).equals("json")) {
			readJsonFile(file, acc);
			return;
		}
		List<Object> documents = new ArrayList<>();
		try (InputStream in = file.open()) {
			// No limit on a document's size: a big cluster's kubectl dump or support bundle holds lists of hundreds
			// of megabytes (the engine's default of 3 Mi code points refuses 5 000 Machines).
			Load yaml = new Load(LoadSettings.builder()
				.setLabel(file.displayName())
				.setCodePointLimit(Integer.MAX_VALUE)
				.build());
			yaml.loadAllFromInputStream(in).forEach(documents::add);
		}
		catch (MarkedYamlEngineException ex) {
			String where = ex.getProblemMark()
				.map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
				.orElse("");
			throw new SnapshotReadException("Cannot parse snapshot file " + file.displayName() + where + ": "
					+ firstLine(ex.getProblem() != null ? ex.getProblem() : ex.getMessage()), ex);
		}
		catch (YamlEngineException ex) {
			throw new SnapshotReadException(
					"Cannot parse snapshot file " + file.displayName() + ": " + firstLine(ex.getMessage()), ex);
		}
		catch (IOException | UncheckedIOException ex) {
			throw new SnapshotReadException("Cannot read snapshot file " + file.displayName() + ": " + ex.getMessage(),
					ex);
		}
		int index = 0;
		for (Object document : documents) {
			index++;
			readDocument(document, file, index, acc);
		}
	}

	private void readDocument(Object document, SnapshotFile file, int index, Accumulator acc) {
		if (document == null) {
			return;
		}
		if (!(document instanceof Map<?, ?> map) || !isKubernetesObject(map)) {
			acc.documentsIgnored++;
			return;
		}
		readObject(map, file, index, acc);
	}

	/**
	 * Reads a JSON file as a stream, so that a list of hundreds of thousands of objects ({@code kubectl get -A -o json}
	 * on a big cluster: hundreds of megabytes) is never in memory whole; the YAML engine would hold the whole
	 * document, several times its size. A first pass notes each document's apiVersion and kind, which
	 * {@code kubectl} writes after the items; the second reads the items of a list one at a time. Other documents
	 * are read whole, as YAML ones are, with the same result.
	 */
	private void readJsonFile(SnapshotFile file, Accumulator acc) {
		List<Header> headers = new ArrayList<>();
		parseJson(file, parser -> {
			while (parser.nextToken() != null) {
				headers.add(Header.skim(parser));
			}
		});
		parseJson(file, parser -> {
			int index = 0;
			while (parser.nextToken() != null) {
				Header header = (index < headers.size()) ? headers.get(index) : Header.NONE;
				index++;
				if (header.streamable()) {
					streamList(parser, header, file, index, acc);
				}
				else {
					readDocument(this.json.readValue(parser, Object.class), file, index, acc);
				}
			}
		});
	}

	/** The items of a list document, one at a time; the parser is at the document's start. */
	private void streamList(JsonParser parser, Header header, SnapshotFile file, int document, Accumulator acc) {
		String itemKind = itemKind(header.kind());
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			parser.nextToken();
			if (!name.equals("items")) {
				parser.skipChildren();
				continue;
			}
			int items = 0;
			while (parser.nextToken() != JsonToken.END_ARRAY) {
				readListItem(this.json.readValue(parser, Object.class), itemKind, header.apiVersion(), file, document,
						acc);
				items++;
			}
			if (items == 0) {
				emptyList(file, header.apiVersion(), itemKind, acc);
			}
		}
	}

	private void parseJson(SnapshotFile file, JsonPass pass) {
		try (InputStream in = file.open(); JsonParser parser = this.json.createParser(in)) {
			pass.read(parser);
		}
		catch (StreamReadException ex) {
			TokenStreamLocation location = ex.getLocation();
			String where = (location != null && location.getLineNr() > 0)
					? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
			throw new SnapshotReadException("Cannot parse snapshot file " + file.displayName() + where + ": "
					+ firstLine(ex.getOriginalMessage()), ex);
		}
		catch (JacksonException ex) {
			throw new SnapshotReadException(
					"Cannot parse snapshot file " + file.displayName() + ": " + firstLine(ex.getOriginalMessage()), ex);
		}
		catch (IOException | UncheckedIOException ex) {
			throw new SnapshotReadException("Cannot read snapshot file " + file.displayName() + ": " + ex.getMessage(),
					ex);
		}
	}

	/** One pass over a JSON file. */
	@FunctionalInterface
	private interface JsonPass {

		void read(JsonParser parser) throws IOException;

	}

	/**
	 * What the first pass learns of a JSON document: its apiVersion and kind when they are strings, and whether it
	 * has an {@code items} array.
	 */
	private record Header(String apiVersion, String kind, boolean itemsArray) {

		static final Header NONE = new Header(null, null, false);

		/** Reads the document the parser is at, skipping everything but its apiVersion, kind and items' type. */
		static Header skim(JsonParser parser) {
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				parser.skipChildren();
				return NONE;
			}
			String apiVersion = null;
			String kind = null;
			boolean itemsArray = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (value == JsonToken.VALUE_STRING && name.equals("apiVersion")) {
					apiVersion = parser.getString();
				}
				else if (value == JsonToken.VALUE_STRING && name.equals("kind")) {
					kind = parser.getString();
				}
				else if (name.equals("items")) {
					itemsArray = (value == JsonToken.START_ARRAY);
				}
				parser.skipChildren();
			}
			return new Header(apiVersion, kind, itemsArray);
		}

		/** A list that {@link #readObject} would read item by item: stream it. */
		boolean streamable() {
			return this.itemsArray && this.apiVersion != null && !this.apiVersion.isBlank() && this.kind != null
					&& !this.kind.isBlank() && (this.kind.equals("List") || this.kind.endsWith("List"));
		}

	}

	private void readObject(Map<?, ?> map, SnapshotFile file, int document, Accumulator acc) {
		String kind = map.get("kind").toString();
		String apiVersion = map.get("apiVersion").toString();
		if (map.containsKey("items") && (kind.equals("List") || kind.endsWith("List"))) {
			Object items = map.get("items");
			if (items == null || "null".equals(items)) {
				items = List.of();
			}
			if (!(items instanceof List<?> list)) {
				throw new SnapshotReadException("Cannot read snapshot file " + file.displayName() + ": document "
						+ document + " is a " + kind + " whose items are not a list");
			}
			String itemKind = itemKind(kind);
			if (list.isEmpty()) {
				emptyList(file, apiVersion, itemKind, acc);
			}
			for (Object item : list) {
				readListItem(item, itemKind, apiVersion, file, document, acc);
			}
			return;
		}
		Optional<WatchedKind> watched = watchedKind(apiVersion, kind);
		if (watched.isEmpty()) {
			acc.objectsIgnored++;
			return;
		}
		KubeObject object = KubeObject.of(watched.get(), toResource(map, file, document));
		acc.add(watched.get(), object);
	}

	/** The kind of a typed list's items ({@code NodeList}: {@code Node}); {@code null} for a plain List. */
	private static String itemKind(String listKind) {
		return listKind.equals("List") ? null : listKind.substring(0, listKind.length() - "List".length());
	}

	/** An empty list still says which kind it holds, through a typed list's kind or a support bundle's path. */
	private static void emptyList(SnapshotFile file, String apiVersion, String itemKind, Accumulator acc) {
		supportBundleKind(file.relativePath()).ifPresent(hint -> acc.markPresent(hint.kind(), hint.apiVersion()));
		typedListKind(apiVersion, itemKind).ifPresent(k -> acc.markPresent(k, apiVersion));
	}

	private void readListItem(Object item, String itemKind, String apiVersion, SnapshotFile file, int document,
			Accumulator acc) {
		if (!(item instanceof Map<?, ?> itemMap)) {
			acc.documentsIgnored++;
			return;
		}
		Map<Object, Object> withType = new LinkedHashMap<>(itemMap);
		if (itemKind != null) {
			withType.putIfAbsent("kind", itemKind);
			withType.putIfAbsent("apiVersion", apiVersion);
		}
		if (!isKubernetesObject(withType)) {
			acc.documentsIgnored++;
			return;
		}
		readObject(withType, file, document, acc);
	}

	private GenericKubernetesResource toResource(Map<?, ?> map, SnapshotFile file, int document) {
		try {
			return this.serialization.convertValue(map, GenericKubernetesResource.class);
		}
		catch (IllegalArgumentException ex) {
			// Odd metadata (a bundle's "null" where a number belongs): keep what identifies the object.
			Map<Object, Object> lenient = new LinkedHashMap<>(map);
			lenient.put("metadata", essentialMetadata(map.get("metadata")));
			try {
				return this.serialization.convertValue(lenient, GenericKubernetesResource.class);
			}
			catch (IllegalArgumentException again) {
				throw new SnapshotReadException("Cannot read snapshot file " + file.displayName() + ": document "
						+ document + " is not a valid " + map.get("kind") + ": " + firstLine(ex.getMessage()), ex);
			}
		}
	}

	private static Map<String, Object> essentialMetadata(Object metadata) {
		Map<String, Object> essential = new LinkedHashMap<>();
		if (metadata instanceof Map<?, ?> meta) {
			for (String key : List.of("name", "namespace", "deletionTimestamp")) {
				if (meta.get(key) instanceof String value) {
					essential.put(key, value);
				}
			}
			for (String key : List.of("labels", "annotations")) {
				if (meta.get(key) instanceof Map<?, ?> values) {
					Map<String, String> strings = new LinkedHashMap<>();
					values.forEach((k, v) -> strings.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
					essential.put(key, strings);
				}
			}
		}
		return essential;
	}

	private static boolean isKubernetesObject(Map<?, ?> map) {
		return map.get("apiVersion") instanceof String apiVersion && !apiVersion.isBlank()
				&& map.get("kind") instanceof String kind && !kind.isBlank();
	}

	private static Optional<WatchedKind> watchedKind(String apiVersion, String kind) {
		for (WatchedKind watched : WatchedKind.values()) {
			if (watched.matches(apiVersion, kind)) {
				return Optional.of(watched);
			}
		}
		return Optional.empty();
	}

	private static Optional<WatchedKind> typedListKind(String apiVersion, String itemKind) {
		return (itemKind == null) ? Optional.empty() : watchedKind(apiVersion, itemKind);
	}

	/**
	 * In a support bundle an empty list still says which resource it holds, through its path:
	 * {@code yamls/cluster/<gv>/<plural>.yaml} or {@code yamls/namespaced/<namespace>/<gv>/<plural>.yaml}, where
	 * {@code <gv>} is {@code v1} for the core group and {@code <group>/<version>} otherwise.
	 */
	static Optional<KindHint> supportBundleKind(String relativePath) {
		List<String> parts = List.of(relativePath.split("/"));
		int yamls = parts.lastIndexOf("yamls");
		if (yamls < 0 || parts.size() - yamls < 4) {
			return Optional.empty();
		}
		List<String> rest = parts.subList(yamls + 1, parts.size());
		List<String> gvAndFile;
		if (rest.get(0).equals("cluster")) {
			gvAndFile = rest.subList(1, rest.size());
		}
		else if (rest.get(0).equals("namespaced") && rest.size() >= 4) {
			gvAndFile = rest.subList(2, rest.size());
		}
		else {
			return Optional.empty();
		}
		String file = gvAndFile.get(gvAndFile.size() - 1);
		int dot = file.lastIndexOf('.');
		String plural = (dot > 0) ? file.substring(0, dot) : file;
		String groupVersion = String.join("/", gvAndFile.subList(0, gvAndFile.size() - 1));
		for (WatchedKind kind : WatchedKind.values()) {
			if (kind.plural().equals(plural) && kind.matchesGroupVersion(groupVersion)) {
				return Optional.of(new KindHint(kind, groupVersion));
			}
		}
		return Optional.empty();
	}

	record KindHint(WatchedKind kind, String apiVersion) {
	}

	private static SnapshotFile diskFile(Path relative, Path path) {
		String relativePath = relative.toString().replace('\\', '/');
		return new SnapshotFile() {

			@Override
			public String relativePath() {
				return relativePath;
			}

			@Override
			public String displayName() {
				return path.toString();
			}

			@Override
			public InputStream open() throws IOException {
				return Files.newInputStream(path);
			}

		};
	}

	private static String extension(String path) {
		int dot = path.lastIndexOf('.');
		return (dot < 0) ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "unknown error";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	private static final class Accumulator {

		final Map<WatchedKind, Map<String, KubeObject>> objects = new EnumMap<>(WatchedKind.class);

		final Map<WatchedKind, String> apiVersions = new EnumMap<>(WatchedKind.class);

		final Set<String> seen = new HashSet<>();

		int filesRead;

		int filesIgnored;

		int objectsIgnored;

		int documentsIgnored;

		int duplicatesIgnored;

		void markPresent(WatchedKind kind, String apiVersion) {
			this.objects.computeIfAbsent(kind, k -> new LinkedHashMap<>());
			this.apiVersions.merge(kind, apiVersion, (old, offered) -> preferred(kind, old, offered));
		}

		void add(WatchedKind kind, KubeObject object) {
			markPresent(kind, object.apiVersion());
			String key = object.namespace() + "/" + object.name();
			if (!this.seen.add(kind + ":" + key)) {
				this.duplicatesIgnored++;
				return;
			}
			this.objects.get(kind).put(key, object);
		}

		private static String preferred(WatchedKind kind, String a, String b) {
			for (String version : kind.versions()) {
				String apiVersion = kind.apiVersion(version);
				if (apiVersion.equals(a) || apiVersion.equals(b)) {
					return apiVersion;
				}
			}
			return a;
		}

	}

}
