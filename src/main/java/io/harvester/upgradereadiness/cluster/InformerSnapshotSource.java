package io.harvester.upgradereadiness.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.impl.BaseClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.impl.DefaultSharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The live cluster, read through fabric8 informers (list + watch), one per watched kind, each keeping only the
 * checks' views of its objects ({@link ViewStore}).
 * <p>
 * Start-up never blocks and never fails on an unreachable API server: discovery retries until it answers, and
 * informers retry their list/watch for ever (stack notes, traps 4–5). Discovery asks the API server which version
 * of each custom kind it serves; a kind whose CRD is not installed is absent, and is looked for again periodically.
 * <p>
 * The snapshot is assembled from the objects the informers have delivered and is reused until an informer event
 * changes something: {@link #current()} costs no API call, and no rebuild when nothing changed.
 * <p>
 * Memory stays near the steady state during the initial sync: each kind is listed in pages of
 * {@value #LIST_PAGE_SIZE} ({@code limit}/{@code continue}), every page is reduced to the checks' views as it
 * arrives, and at most {@value #PARALLEL_LISTS} kinds list at once. Listed whole and all at once, a 5 000-node
 * cluster's lists (with managedFields, 300 000 objects) were gigabytes of parsed objects alive together, and the
 * chart's 576 MiB heap ran out.
 */
public final class InformerSnapshotSource implements SnapshotSource, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(InformerSnapshotSource.class);

	private final KubernetesClient client;

	private final Clock clock;

	private final Duration discoveryInterval;

	private final Duration discoveryRetryInterval;

	private final SnapshotProperties properties;

	private final boolean nodeDiskEnabled;

	private final LiveProbes probes;

	private volatile ProbeResult<ApiServerCertificates> certificates;

	private volatile ProbeResult<WebhookCertificates> webhookCertificates;

	private volatile ProbeResult<NodeDiskUsage> nodeDiskUsage;

	/** Objects per page of an initial list (client-go's informers and kubectl page by 500 too). */
	static final long LIST_PAGE_SIZE = 500;

	/**
	 * Kinds whose initial list runs at once. Enough to keep the API server and our parsing busy together on two
	 * cores; every kind more holds another page of full objects in memory.
	 */
	static final int PARALLEL_LISTS = 3;

	/** How long a kind may be between list and watch, or between two watches, before it counts as stale. */
	static final Duration RECONNECT_GRACE = Duration.ofSeconds(5);

	private final Map<WatchedKind, KindWatch> watches = new ConcurrentHashMap<>();

	/** Bumped on every informer event and every discovery change; the snapshot version. */
	private final AtomicLong changes = new AtomicLong();

	private volatile ClusterSnapshot cached;

	private volatile ScheduledExecutorService scheduler;

	/** Parses the pages of initial lists (and relists), one thread per list that may run at once. */
	private volatile ExecutorService parsing;

	private volatile boolean running;

	private final ListGate lists = new ListGate(PARALLEL_LISTS);

	/** When the source started, and whether the complete sync has been logged. */
	private volatile long startedNanos;

	private final java.util.concurrent.atomic.AtomicBoolean syncLogged = new java.util.concurrent.atomic.AtomicBoolean();

	/**
	 * @param client the client to the API server
	 * @param clock the clock
	 * @param properties discovery and probe intervals
	 * @param nodeDiskEnabled whether to read the kubelets' filesystem usage (opt-in: needs {@code nodes/proxy})
	 */
	public InformerSnapshotSource(KubernetesClient client, Clock clock, SnapshotProperties properties,
			boolean nodeDiskEnabled) {
		this.client = client;
		this.clock = clock;
		this.properties = properties;
		this.discoveryInterval = properties.discoveryInterval();
		this.discoveryRetryInterval = properties.discoveryRetryInterval();
		this.nodeDiskEnabled = nodeDiskEnabled;
		this.probes = new LiveProbes(client, clock, properties.probeTimeout());
		for (WatchedKind kind : WatchedKind.values()) {
			this.watches.put(kind, KindWatch.undiscovered("discovery has not run yet"));
		}
	}

	@Override
	public void start() {
		this.scheduler = Executors.newScheduledThreadPool(2, r -> {
			Thread thread = new Thread(r, "snapshot-discovery");
			thread.setDaemon(true);
			return thread;
		});
		AtomicInteger parsers = new AtomicInteger();
		this.parsing = Executors.newFixedThreadPool(PARALLEL_LISTS, r -> {
			Thread thread = new Thread(r, "snapshot-list-" + parsers.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.running = true;
		this.startedNanos = System.nanoTime();
		this.scheduler.execute(this::discover);
		this.scheduler.scheduleWithFixedDelay(this::recordContact, 1, 1, TimeUnit.SECONDS);
		this.scheduler.execute(this::probeCertificates);
		if (this.nodeDiskEnabled) {
			this.scheduler.execute(this::probeNodeDisks);
		}
	}

	/** Notes, for every kind still watched, that the API server was in contact now. */
	private void recordContact() {
		java.time.Instant now = this.clock.instant();
		for (KindWatch watch : this.watches.values()) {
			if (watch.informer != null && watch.informer.isWatching()) {
				watch.lastContact = now;
			}
		}
		logSyncOnce();
	}

	/** Logs, once, how long the whole initial sync took and how much it holds. */
	private void logSyncOnce() {
		if (this.syncLogged.get()) {
			return;
		}
		int objects = 0;
		for (KindWatch watch : this.watches.values()) {
			if (!watch.settled()) {
				return;
			}
			objects += (watch.store != null) ? watch.store.size() : 0;
		}
		if (this.syncLogged.compareAndSet(false, true)) {
			log.info("Synced every kind: {} objects in {} ms", objects,
					(System.nanoTime() - this.startedNanos) / 1_000_000);
		}
	}

	/**
	 * Whether every synced kind is still watched. A kind whose watch is lost (API server down, network cut) keeps
	 * its last objects; the snapshot is then stale since the last time it was watched.
	 */
	@Override
	public Freshness freshness() {
		List<String> stale = new ArrayList<>();
		java.time.Instant lastContact = null;
		for (WatchedKind kind : WatchedKind.values()) {
			KindWatch watch = this.watches.get(kind);
			if (watch.informer == null || watch.forbidden != null || !watch.synced()
					|| watch.informer.isWatching()) {
				continue;
			}
			// A watch is re-established routinely (after a list, on watch timeout): only a gap longer than that is
			// a lost watch.
			if (watch.lastContact != null && watch.lastContact.isAfter(this.clock.instant().minus(RECONNECT_GRACE))) {
				continue;
			}
			stale.add(kind.resource());
			if (lastContact == null || (watch.lastContact != null && watch.lastContact.isBefore(lastContact))) {
				lastContact = watch.lastContact;
			}
		}
		return stale.isEmpty() ? Freshness.FRESH : new Freshness(true, lastContact, stale);
	}

	private void probeCertificates() {
		ProbeResult<ApiServerCertificates> result;
		try {
			result = ProbeResult.of(this.probes.readApiServerCertificates(), this.clock.instant());
		}
		catch (RuntimeException ex) {
			result = ProbeResult.failed("cannot list the endpoints of default/kubernetes: " + rootMessage(ex),
					this.clock.instant());
		}
		this.certificates = result;
		this.changes.incrementAndGet();
		// After the API server's: a webhook that does not answer costs a handshake timeout.
		ProbeResult<WebhookCertificates> webhooks;
		try {
			webhooks = ProbeResult.of(this.probes.readWebhookCertificates(), this.clock.instant());
		}
		catch (RuntimeException ex) {
			webhooks = ProbeResult.failed("cannot list the webhook configurations: " + rootMessage(ex),
					this.clock.instant());
		}
		this.webhookCertificates = webhooks;
		this.changes.incrementAndGet();
		reschedule(this::probeCertificates, (result.succeeded() && webhooks.succeeded())
				? this.properties.certificateInterval()
				: min(this.properties.certificateInterval(), Duration.ofSeconds(30)));
	}

	private void probeNodeDisks() {
		ProbeResult<NodeDiskUsage> result;
		try {
			result = ProbeResult.of(this.probes.readNodeDiskUsage(), this.clock.instant());
		}
		catch (RuntimeException ex) {
			result = ProbeResult.failed("cannot list the nodes: " + rootMessage(ex), this.clock.instant());
		}
		this.nodeDiskUsage = result;
		this.changes.incrementAndGet();
		reschedule(this::probeNodeDisks, result.succeeded() ? this.properties.nodeDiskInterval()
				: min(this.properties.nodeDiskInterval(), Duration.ofSeconds(30)));
	}

	private void reschedule(Runnable task, Duration delay) {
		ScheduledExecutorService executor = this.scheduler;
		if (this.running && executor != null && !executor.isShutdown()) {
			executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	@Override
	public void stop() {
		this.running = false;
		this.lists.close();
		ScheduledExecutorService executor = this.scheduler;
		if (executor != null) {
			executor.shutdownNow();
		}
		ExecutorService parsers = this.parsing;
		if (parsers != null) {
			parsers.shutdownNow();
		}
		this.watches.values().forEach(KindWatch::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** The kinds whose informer is running; empty once stopped. */
	List<WatchedKind> runningInformers() {
		List<WatchedKind> running = new ArrayList<>();
		this.watches.forEach((kind, watch) -> {
			if (watch.informer != null && watch.informer.isRunning()) {
				running.add(kind);
			}
		});
		running.sort(null);
		return running;
	}

	/** Starts before and stops after the web server, so in-flight requests finish on a working source. */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	@Override
	public Optional<ClusterSnapshot> current() {
		for (KindWatch watch : this.watches.values()) {
			if (!watch.settled()) {
				return Optional.empty();
			}
		}
		ClusterSnapshot snapshot = this.cached;
		if (snapshot != null && snapshot.version() == this.changes.get()) {
			return Optional.of(snapshot);
		}
		synchronized (this) {
			snapshot = this.cached;
			long version = this.changes.get();
			if (snapshot == null || snapshot.version() != version) {
				snapshot = assemble(version);
				this.cached = snapshot;
			}
			return Optional.of(snapshot);
		}
	}

	@Override
	public List<KindStatus> kindStatuses() {
		List<KindStatus> statuses = new ArrayList<>();
		for (WatchedKind kind : WatchedKind.values()) {
			statuses.add(this.watches.get(kind).status(kind));
		}
		return statuses;
	}

	@Override
	public String description() {
		return "live:" + this.client.getMasterUrl();
	}

	private ClusterSnapshot assemble(long version) {
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder(description(), this.clock.instant(), version)
			.apiServerCertificates(this.certificates)
			.webhookCertificates(this.webhookCertificates)
			.nodeDiskUsage(this.nodeDiskUsage);
		for (WatchedKind kind : WatchedKind.values()) {
			KindWatch watch = this.watches.get(kind);
			if (watch.readable()) {
				builder.present(kind, watch.apiVersion, watch.views());
			}
			else {
				builder.status(watch.status(kind), kind);
			}
		}
		return builder.build();
	}

	/** One discovery round; reschedules itself, quickly while the API server has not answered. */
	private void discover() {
		DiscoveryRound round = new DiscoveryRound();
		boolean complete = true;
		for (WatchedKind kind : WatchedKind.values()) {
			if (!this.running) {
				return;
			}
			KindWatch watch = this.watches.get(kind);
			if (watch.informer != null) {
				continue;
			}
			try {
				Optional<String> version = round.servedVersion(kind);
				if (version.isPresent()) {
					this.watches.put(kind, startInformer(kind, version.get()));
					log.info("Watching {} ({})", kind.resource(), kind.apiVersion(version.get()));
				}
				else if (watch.state != State.ABSENT) {
					this.watches.put(kind, KindWatch.absent("the API server does not serve " + kind.resource()
							+ " (CRD not installed)"));
					log.info("{} is not served by the API server; looking again every {}", kind.resource(),
							this.discoveryInterval);
				}
				else {
					continue;
				}
				this.changes.incrementAndGet();
			}
			catch (RuntimeException ex) {
				complete = false;
				if (watch.state != State.ABSENT) {
					String message = "cannot reach the API server: " + rootMessage(ex);
					if (!message.equals(watch.message)) {
						log.warn("Discovery of {} failed: {}", kind.resource(), message);
					}
					this.watches.put(kind, KindWatch.undiscovered(message));
				}
			}
		}
		reschedule(this::discover, complete ? this.discoveryInterval : this.discoveryRetryInterval);
	}

	/**
	 * One round of discovery: each group and group-version is asked once per round, however many kinds share it.
	 */
	private final class DiscoveryRound {

		private final Map<String, Optional<String>> preferredVersions = new HashMap<>();

		private final Map<String, Optional<APIResourceList>> resourceLists = new HashMap<>();

		/**
		 * The version of a kind the API server serves: its preferred version when we can read it, else the first
		 * of ours it lists. Asked the way a real API server answers, through {@code /apis/<group>} and the
		 * {@code APIResourceList} at {@code /apis/<group>/<version>} (stack notes, trap 12).
		 */
		Optional<String> servedVersion(WatchedKind kind) {
			if (kind.isCore()) {
				return Optional.of(kind.versions().get(0));
			}
			List<String> candidates = new ArrayList<>(kind.versions());
			String preferred = this.preferredVersions.computeIfAbsent(kind.group(), this::preferredVersion)
				.orElse(null);
			if (preferred != null && candidates.remove(preferred)) {
				candidates.add(0, preferred);
			}
			for (String version : candidates) {
				Optional<APIResourceList> resources = this.resourceLists.computeIfAbsent(kind.apiVersion(version),
						groupVersion -> Optional.ofNullable(InformerSnapshotSource.this.client.getApiResources(groupVersion)));
				if (resources.isPresent() && resources.get().getResources() != null && resources.get()
					.getResources()
					.stream()
					.anyMatch(r -> kind.plural().equals(r.getName()))) {
					return Optional.of(version);
				}
			}
			return Optional.empty();
		}

		private Optional<String> preferredVersion(String group) {
			try {
				APIGroup apiGroup = InformerSnapshotSource.this.client.getApiGroup(group);
				if (apiGroup != null && apiGroup.getPreferredVersion() != null) {
					return Optional.ofNullable(apiGroup.getPreferredVersion().getVersion());
				}
			}
			catch (RuntimeException ex) {
				// No preference known; the resource lists decide, and report an unreachable server.
			}
			return Optional.empty();
		}

	}

	private KindWatch startInformer(WatchedKind kind, String version) {
		ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(kind.group())
			.withVersion(version)
			.withKind(kind.kind())
			.withPlural(kind.plural())
			.withNamespaced(kind.namespaced())
			.build();
		// The store keeps only the checks' views of the objects (no managedFields, no bulk); no namespace index.
		ViewStore store = new ViewStore(kind);
		java.util.concurrent.atomic.AtomicBoolean listed = new java.util.concurrent.atomic.AtomicBoolean();
		// fabric8's informer, whose lists are read straight into the views (ProjectingLister).
		SharedIndexInformer<GenericKubernetesResource> informer = new DefaultSharedIndexInformer<>(
				GenericKubernetesResource.class,
				new ProjectingLister(this.client, kind, context, LIST_PAGE_SIZE, this.parsing), 0,
				this.client.adapt(BaseClient.class).getExecutor())
			.itemStore(store)
			.removeNamespaceIndex();
		AtomicReference<String> lastError = new AtomicReference<>();
		KindWatch watch = KindWatch.watching(kind.apiVersion(version), informer, store, this.clock.instant());
		// The turn to list is given back on the first list, or on the first failure: a kind that keeps failing
		// (forbidden, server gone) retries on its own without holding back the others.
		Runnable endTurn = this.lists.turn();
		informer.exceptionHandler((started, error) -> {
			endTurn.run();
			String message = rootMessage(error);
			if (!message.equals(lastError.getAndSet(message))) {
				log.warn("Watching {} failed, retrying: {}", kind.resource(), message);
			}
			if (isForbidden(error) && watch.forbidden == null) {
				watch.forbidden = "HTTP 403 Forbidden";
				this.changes.incrementAndGet();
			}
			return true;
		});
		// The handler only says "something changed"; the content is read from the informer's store, which is
		// complete once hasSynced() is true (handlers are notified asynchronously and may lag behind it).
		informer.addEventHandler(new ResourceEventHandler<>() {

			@Override
			public void onAdd(GenericKubernetesResource resource) {
				watch.lastContact = InformerSnapshotSource.this.clock.instant();
				InformerSnapshotSource.this.changes.incrementAndGet();
			}

			@Override
			public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource resource) {
				watch.lastContact = InformerSnapshotSource.this.clock.instant();
				InformerSnapshotSource.this.changes.incrementAndGet();
			}

			@Override
			public void onDelete(GenericKubernetesResource resource, boolean finalStateUnknown) {
				watch.lastContact = InformerSnapshotSource.this.clock.instant();
				InformerSnapshotSource.this.changes.incrementAndGet();
			}

			@Override
			public void onList(String resourceVersion, boolean initial) {
				if (listed.compareAndSet(false, true)) {
					log.info("Listed {} {} in {} ms", store.size(), kind.resource(),
							(System.nanoTime() - watch.listStartedNanos) / 1_000_000);
				}
				endTurn.run();
				// A successful (re)list: permissions work and the API server answered.
				watch.forbidden = null;
				watch.lastContact = InformerSnapshotSource.this.clock.instant();
				lastError.set(null);
				InformerSnapshotSource.this.changes.incrementAndGet();
				if (initial) {
					watch.listedOnce = true;
					logSyncOnce();
				}
			}

		});
		this.lists.enqueue(() -> {
			watch.listStartedNanos = System.nanoTime();
			watch.listing = true;
			informer.start();
		});
		return watch;
	}

	private static boolean isForbidden(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() == cause) ? null : cause.getCause()) {
			if (cause instanceof io.fabric8.kubernetes.client.KubernetesClientException client
					&& client.getCode() == 403) {
				return true;
			}
		}
		return false;
	}

	private static String rootMessage(Throwable error) {
		Throwable root = error;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return (root == error) ? message : error.getMessage() + " (" + message + ")";
	}

	/**
	 * Lets at most {@code limit} initial lists run at once; the others wait in the order their kinds were
	 * discovered.
	 */
	static final class ListGate {

		private final int limit;

		private final java.util.ArrayDeque<Runnable> waiting = new java.util.ArrayDeque<>();

		private int running;

		private boolean closed;

		ListGate(int limit) {
			this.limit = limit;
		}

		/** Runs the list now if a turn is free, else when one is. */
		void enqueue(Runnable list) {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				if (this.running >= this.limit) {
					this.waiting.add(list);
					return;
				}
				this.running++;
			}
			list.run();
		}

		/** A callback that ends one turn, the first time it is called; later calls do nothing. */
		Runnable turn() {
			java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
			return () -> {
				if (ended.compareAndSet(false, true)) {
					next();
				}
			};
		}

		private void next() {
			Runnable list;
			synchronized (this) {
				list = this.closed ? null : this.waiting.poll();
				if (list == null) {
					this.running = Math.max(0, this.running - 1);
					return;
				}
			}
			list.run();
		}

		synchronized void close() {
			this.closed = true;
			this.waiting.clear();
		}

	}

	private enum State {

		UNDISCOVERED, ABSENT, WATCHING

	}

	private static final class KindWatch {

		final State state;

		final String message;

		final String apiVersion;

		final SharedIndexInformer<GenericKubernetesResource> informer;

		/** The informer's store: the views of its objects; {@code null} when not watching. */
		final ViewStore store;

		/** Why the service account may not read this kind (a 403), {@code null} when it may. */
		volatile String forbidden;

		/** The last time the kind was known watched (or listed). */
		volatile java.time.Instant lastContact;

		/** Whether its initial list has begun (it may wait for its turn), and when. */
		volatile boolean listing;

		volatile long listStartedNanos;

		/** Whether its initial list has completed (the informer may report synced a moment later). */
		volatile boolean listedOnce;

		private KindWatch(State state, String message, String apiVersion,
				SharedIndexInformer<GenericKubernetesResource> informer, ViewStore store) {
			this.state = state;
			this.message = message;
			this.apiVersion = apiVersion;
			this.informer = informer;
			this.store = store;
		}

		static KindWatch undiscovered(String message) {
			return new KindWatch(State.UNDISCOVERED, message, null, null, null);
		}

		static KindWatch absent(String message) {
			return new KindWatch(State.ABSENT, message, null, null, null);
		}

		static KindWatch watching(String apiVersion, SharedIndexInformer<GenericKubernetesResource> informer,
				ViewStore store, java.time.Instant now) {
			KindWatch watch = new KindWatch(State.WATCHING, null, apiVersion, informer, store);
			watch.lastContact = now;
			return watch;
		}

		/** The views of the objects the informer holds, made when it received them. */
		List<KubeObject> views() {
			return this.store.views();
		}

		/** Whether this kind is known well enough for a snapshot: absent, forbidden, or watched and synced. */
		boolean settled() {
			return this.state == State.ABSENT || this.forbidden != null
					|| synced();
		}

		/** Whether the informer's store is complete: its first list is done. */
		boolean synced() {
			return this.informer != null && (this.listedOnce || this.informer.hasSynced());
		}

		/** Watched, synced and readable: its objects go into the snapshot. */
		boolean readable() {
			return this.forbidden == null && synced();
		}

		KindStatus status(WatchedKind kind) {
			return switch (this.state) {
				case UNDISCOVERED -> KindStatus.unknown(kind, this.message);
				case ABSENT -> KindStatus.absent(kind, this.message);
				case WATCHING -> (this.forbidden != null) ? KindStatus.forbidden(kind, this.apiVersion, this.forbidden)
						: synced()
								? KindStatus.present(kind, this.apiVersion, this.store.size())
								: KindStatus.syncing(kind, this.apiVersion, this.store.size(), this.listing
										? "listing " + kind.resource() + ": " + this.store.size() + " objects so far"
										: "waiting for its turn to list " + kind.resource());
			};
		}

		void close() {
			if (this.informer != null) {
				this.informer.close();
			}
		}

	}

}
