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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a snapshot from what {@code kubectl get -o yaml|json} prints and what a Harvester support bundle's
 * {@code yamls/} tree holds: single objects, multi-document YAML, {@code kind: List} and typed lists.
 * <p>
 * JSON and YAML are read as token streams (Jackson, and Jackson's YAML parser over the YAML engine fabric8 ships)
 * straight into the checks' views ({@link ObjectStreamReader}): no object is ever held whole, so a dump of hundreds
 * of megabytes costs about what parsing it does, and only what the snapshot keeps stays in memory. Files are read
 * in parallel, one per processor; a long load logs its progress. Fields no check reads (such as the
 * {@code priority: "2.0E9"} support-bundle-kit writes) are skipped unread and never refuse a file. A file that is
 * not YAML or JSON at all is refused with its name and line.
 */
public final class SnapshotFileReader {

	private static final Logger log = LoggerFactory.getLogger(SnapshotFileReader.class);

	private static final Set<String> EXTENSIONS = Set.of("yaml", "yml", "json");

	/** How often a long load says how far it has got. */
	private static final long PROGRESS_SECONDS = 5;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * No limit on a document's size: a big cluster's kubectl dump or support bundle holds lists of hundreds of
	 * megabytes (the engine's default of 3 Mi code points refuses 5 000 Machines).
	 */
	private static final YAMLMapper YAML = YAMLMapper
		.builder(YAMLFactory.builder()
			.loadSettings(LoadSettings.builder().setCodePointLimit(Integer.MAX_VALUE).build())
			.build())
		.build();

	/** One file to read, wherever it lives (disk or classpath). */
	public interface SnapshotFile {

		/** The path relative to the snapshot root, with {@code /} separators. */
		String relativePath();

		/** How the file is named in messages. */
		String displayName();

		InputStream open() throws IOException;

		/** Its size in bytes, when known cheaply; else {@code -1}. Big files are read first. */
		default long size() {
			return -1;
		}

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
		List<SnapshotFile> parsed = new ArrayList<>();
		for (SnapshotFile file : files) {
			if (EXTENSIONS.contains(extension(file.relativePath()))) {
				parsed.add(file);
			}
			else {
				acc.filesIgnored++;
			}
		}
		long started = System.nanoTime();
		for (FileResult result : parseAll(parsed, started)) {
			acc.filesRead++;
			for (int i = 0; i < result.kinds.size(); i++) {
				acc.add(result.kinds.get(i), result.objects.get(i));
			}
			boolean unplaced = false;
			for (String[] list : result.emptyLists) {
				unplaced |= !emptyList(result.file, list[0], list[1], acc);
			}
			if (unplaced && result.objects.isEmpty()) {
				// Only an empty list whose name several kinds share: nothing in it says which.
				acc.filesRead--;
				acc.filesIgnored++;
			}
			acc.objectsIgnored += result.objectsIgnored;
			acc.documentsIgnored += result.documentsIgnored;
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
		long millis = (System.nanoTime() - started) / 1_000_000;
		// One line for a load a person waits for; tests and the demo read small snapshots by the hundred.
		String summary = "Read {} objects of the watched kinds from {} files in {} ms ({} objects/s)";
		Object[] figures = { objectsRead, acc.filesRead, millis, rate(objectsRead, millis) };
		if (millis >= 1000) {
			log.info(summary, figures);
		}
		else {
			log.debug(summary, figures);
		}
		return builder.fileStats(new SnapshotFileStats(acc.filesRead, acc.filesIgnored, objectsRead,
				acc.objectsIgnored, acc.documentsIgnored, acc.duplicatesIgnored))
			.build();
	}

	/**
	 * Parses the files, in parallel when there are several, and returns what each gave in their order (so that
	 * of duplicates the first file's object is kept, whichever thread read it first).
	 */
	private List<FileResult> parseAll(List<SnapshotFile> files, long started) {
		AtomicLong objects = new AtomicLong();
		AtomicInteger done = new AtomicInteger();
		if (files.size() <= 1) {
			return files.stream().map(file -> parse(file, objects)).toList();
		}
		int threads = Math.min(files.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
		ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("snapshot-reader"));
		ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(daemon("snapshot-progress"));
		progress.scheduleAtFixedRate(() -> {
			long millis = (System.nanoTime() - started) / 1_000_000;
			log.info("Reading the snapshot: {} objects from {} of {} files so far ({} objects/s)", objects.get(),
					done.get(), files.size(), rate(objects.get(), millis));
		}, PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
		try {
			// Biggest first, so that the threads finish together: in file order, a dump's biggest list (the
			// Longhorn replicas: a third of its bytes) started late and the last thread read it alone.
			List<Integer> order = new ArrayList<>();
			for (int i = 0; i < files.size(); i++) {
				order.add(i);
			}
			order.sort(java.util.Comparator.comparingLong((Integer i) -> files.get(i).size()).reversed());
			List<Future<FileResult>> futures = new ArrayList<>(java.util.Collections.nCopies(files.size(), null));
			for (int i : order) {
				SnapshotFile file = files.get(i);
				futures.set(i, pool.submit(() -> {
					FileResult result = parse(file, objects);
					done.incrementAndGet();
					return result;
				}));
			}
			List<FileResult> results = new ArrayList<>();
			for (Future<FileResult> future : futures) {
				results.add(future.get());
			}
			return results;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new SnapshotReadException("Cannot read the snapshot: " + ex.getCause(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SnapshotReadException("Interrupted while reading the snapshot", ex);
		}
		finally {
			progress.shutdownNow();
			pool.shutdownNow();
		}
	}

	private static java.util.concurrent.ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static long rate(long objects, long millis) {
		return (millis <= 0) ? objects : objects * 1000 / millis;
	}

	/** Reads one file's documents into their views. */
	private FileResult parse(SnapshotFile file, AtomicLong objects) {
		FileResult result = new FileResult(file);
		ObjectStreamReader reader = new ObjectStreamReader(result, objects::incrementAndGet);
		boolean json = extension(file.relativePath()).equals("json");
		try (InputStream in = file.open(); JsonParser parser = json ? JSON.createParser(in) : YAML.createParser(in)) {
			int index = 0;
			while (parser.nextToken() != null) {
				index++;
				reader.document(parser, index);
			}
		}
		catch (ObjectStreamReader.NotAListException ex) {
			throw new SnapshotReadException("Cannot read snapshot file " + file.displayName() + ": " + ex.getMessage(),
					ex);
		}
		catch (StreamReadException ex) {
			throw new SnapshotReadException("Cannot parse snapshot file " + file.displayName() + where(ex) + ": "
					+ firstLine(problem(ex)), ex);
		}
		catch (JacksonException ex) {
			throw new SnapshotReadException(
					"Cannot parse snapshot file " + file.displayName() + ": " + firstLine(problem(ex)), ex);
		}
		catch (IOException | UncheckedIOException ex) {
			throw new SnapshotReadException("Cannot read snapshot file " + file.displayName() + ": " + ex.getMessage(),
					ex);
		}
		return result;
	}

	/** Where a parse failed: the YAML engine's mark when it has one, else the parser's location. */
	private static String where(StreamReadException ex) {
		if (ex.getCause() instanceof MarkedYamlEngineException yaml && yaml.getProblemMark().isPresent()) {
			var mark = yaml.getProblemMark().get();
			return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
		}
		TokenStreamLocation location = ex.getLocation();
		return (location != null && location.getLineNr() > 0)
				? " at line " + location.getLineNr() + ", column " + location.getColumnNr() : "";
	}

	private static String problem(JacksonException ex) {
		if (ex.getCause() instanceof MarkedYamlEngineException yaml && yaml.getProblem() != null) {
			return yaml.getProblem();
		}
		return ex.getOriginalMessage();
	}

	/** What one file gave, in its order. */
	private static final class FileResult implements ObjectStreamReader.Sink {

		final SnapshotFile file;

		final List<WatchedKind> kinds = new ArrayList<>();

		final List<KubeObject> objects = new ArrayList<>();

		/** Empty lists: apiVersion and item kind ({@code null} for a plain List). */
		final List<String[]> emptyLists = new ArrayList<>();

		int objectsIgnored;

		int documentsIgnored;

		FileResult(SnapshotFile file) {
			this.file = file;
		}

		@Override
		public void object(WatchedKind kind, KubeObject object) {
			this.kinds.add(kind);
			this.objects.add(object);
		}

		@Override
		public void objectIgnored() {
			this.objectsIgnored++;
		}

		@Override
		public void documentIgnored() {
			this.documentsIgnored++;
		}

		@Override
		public void emptyList(String apiVersion, String itemKind) {
			this.emptyLists.add(new String[] { apiVersion, itemKind });
		}

	}

	/**
	 * An empty list still says which kind it holds: a typed list through its kind, any list through a support
	 * bundle's path or its file's name ({@code kubectl get vms -A -o yaml > vms.yaml} with no VMs prints an empty
	 * plain {@code List}). Returns false when the file's name is a name several kinds share and nothing resolves it.
	 */
	private static boolean emptyList(SnapshotFile file, String apiVersion, String itemKind, Accumulator acc) {
		Optional<WatchedKind> typed = typedListKind(apiVersion, itemKind);
		if (typed.isPresent()) {
			acc.markPresent(typed.get(), apiVersion);
			return true;
		}
		Optional<KindHint> bundle = supportBundleKind(file.relativePath());
		if (bundle.isPresent()) {
			acc.markPresent(bundle.get().kind(), bundle.get().apiVersion());
			return true;
		}
		if (itemKind != null) {
			// a typed list of a kind no check reads
			return true;
		}
		FileName named = kindNamedBy(file.relativePath());
		named.hint().ifPresent(hint -> acc.markPresent(hint.kind(), hint.apiVersion()));
		return !named.ambiguous();
	}

	/** What a file's name says it holds: a kind, nothing, or a name several kinds share with nothing to choose. */
	record FileName(Optional<KindHint> hint, boolean ambiguous) {

		static final FileName NONE = new FileName(Optional.empty(), false);

		static final FileName AMBIGUOUS = new FileName(Optional.empty(), true);

	}

	/**
	 * The kind a file is named after: its name (without extension) is one of a kind's {@link WatchedKind#names()}.
	 * A name several kinds share ({@code nodes}, {@code volumes}...) goes to the kind whose API group a directory on
	 * the file's path names ({@code longhorn.io/v1beta2/nodes.yaml}, as in a support bundle), else to the core kind
	 * when one of them is core; otherwise it is {@link FileName#AMBIGUOUS}. The apiVersion is the one the path
	 * names, else the kind's preferred one.
	 */
	static FileName kindNamedBy(String relativePath) {
		List<String> parts = List.of(relativePath.split("/"));
		String file = parts.get(parts.size() - 1);
		int dot = file.lastIndexOf('.');
		String name = ((dot > 0) ? file.substring(0, dot) : file).toLowerCase(Locale.ROOT);
		List<String> directories = parts.subList(0, parts.size() - 1);
		List<WatchedKind> candidates = new ArrayList<>();
		for (WatchedKind kind : WatchedKind.values()) {
			if (kind.names().contains(name)) {
				candidates.add(kind);
			}
		}
		if (candidates.isEmpty()) {
			return FileName.NONE;
		}
		List<WatchedKind> chosen = candidates;
		if (candidates.size() > 1) {
			chosen = candidates.stream().filter(k -> !k.isCore() && directories.contains(k.group())).toList();
			if (chosen.isEmpty()) {
				chosen = candidates.stream().filter(WatchedKind::isCore).toList();
			}
			if (chosen.size() != 1) {
				return FileName.AMBIGUOUS;
			}
		}
		WatchedKind kind = chosen.get(0);
		String apiVersion = kind.defaultApiVersion();
		for (int i = 0; i + 1 < directories.size(); i++) {
			String groupVersion = directories.get(i) + "/" + directories.get(i + 1);
			if (kind.matchesGroupVersion(groupVersion)) {
				apiVersion = groupVersion;
			}
		}
		return new FileName(Optional.of(new KindHint(kind, apiVersion)), false);
	}

	private static Optional<WatchedKind> typedListKind(String apiVersion, String itemKind) {
		return (itemKind == null) ? Optional.empty()
				: Optional.ofNullable(ObjectStreamReader.watchedKind(apiVersion, itemKind));
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
			public long size() {
				try {
					return Files.size(path);
				}
				catch (IOException ex) {
					return -1;
				}
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
