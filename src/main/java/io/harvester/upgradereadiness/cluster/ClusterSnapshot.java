package io.harvester.upgradereadiness.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable picture of the cluster: the objects of every watched kind and what is known about each kind.
 * Checks are pure functions of it.
 */
public final class ClusterSnapshot {

	private static final Comparator<KubeObject> BY_NAME = Comparator.comparing(KubeObject::ref, ResourceRef.ORDER);

	private final String source;

	private final Instant takenAt;

	private final long version;

	private final Map<WatchedKind, KindStatus> statuses;

	private final Map<WatchedKind, List<KubeObject>> objects;

	private final SnapshotFileStats fileStats;

	private final ProbeResult<NodeDiskUsage> nodeDiskUsage;

	private final ProbeResult<ApiServerCertificates> apiServerCertificates;

	private final ProbeResult<WebhookCertificates> webhookCertificates;

	private ClusterSnapshot(String source, Instant takenAt, long version, Map<WatchedKind, KindStatus> statuses,
			Map<WatchedKind, List<KubeObject>> objects, SnapshotFileStats fileStats,
			ProbeResult<NodeDiskUsage> nodeDiskUsage, ProbeResult<ApiServerCertificates> apiServerCertificates,
			ProbeResult<WebhookCertificates> webhookCertificates) {
		this.source = source;
		this.takenAt = takenAt;
		this.version = version;
		this.statuses = statuses;
		this.objects = objects;
		this.fileStats = fileStats;
		this.nodeDiskUsage = nodeDiskUsage;
		this.apiServerCertificates = apiServerCertificates;
		this.webhookCertificates = webhookCertificates;
	}

	public static Builder builder(String source, Instant takenAt, long version) {
		return new Builder(source, takenAt, version);
	}

	/** Where the snapshot comes from: {@code live:https://10.53.0.1:443} or {@code file:/path/to/bundle}. */
	public String source() {
		return this.source;
	}

	/** Whether the snapshot comes from a live cluster (not from files). */
	public boolean live() {
		return this.source.startsWith("live:");
	}

	/** When this version of the snapshot was assembled. */
	public Instant takenAt() {
		return this.takenAt;
	}

	/** Increases whenever the content changes; equal versions of one source hold equal content. */
	public long version() {
		return this.version;
	}

	/** For a snapshot read from files, what was read and ignored; {@code null} for a live snapshot. */
	public SnapshotFileStats fileStats() {
		return this.fileStats;
	}

	/**
	 * The kubelets' filesystem usage, live and when the node-disk-headroom probe is enabled; empty when it is not
	 * enabled, in file mode, or before its first round.
	 */
	public Optional<ProbeResult<NodeDiskUsage>> nodeDiskUsage() {
		return Optional.ofNullable(this.nodeDiskUsage);
	}

	/** The API server endpoints' certificates, live only; empty in file mode or before the first probe. */
	public Optional<ProbeResult<ApiServerCertificates>> apiServerCertificates() {
		return Optional.ofNullable(this.apiServerCertificates);
	}

	/** The admission webhooks' serving certificates, live only; empty in file mode or before the first probe. */
	public Optional<ProbeResult<WebhookCertificates>> webhookCertificates() {
		return Optional.ofNullable(this.webhookCertificates);
	}

	public KindStatus status(WatchedKind kind) {
		return this.statuses.get(kind);
	}

	/** One status per watched kind, in the order of {@link WatchedKind}. */
	public List<KindStatus> statuses() {
		return List.copyOf(this.statuses.values());
	}

	/** Whether the kind is present and synced, so that a check can read it. */
	public boolean usable(WatchedKind kind) {
		return this.statuses.get(kind).usable();
	}

	/** The objects of a kind, sorted by namespace and name; empty when the kind is absent. */
	public List<KubeObject> objects(WatchedKind kind) {
		return this.objects.getOrDefault(kind, List.of());
	}

	public List<KubeObject> nodes() {
		return objects(WatchedKind.NODES);
	}

	public List<KubeObject> machines() {
		return objects(WatchedKind.MACHINES);
	}

	/** Collects the objects and statuses of one snapshot; every watched kind must get a status. */
	public static final class Builder {

		private final String source;

		private final Instant takenAt;

		private final long version;

		private final Map<WatchedKind, KindStatus> statuses = new EnumMap<>(WatchedKind.class);

		private final Map<WatchedKind, List<KubeObject>> objects = new EnumMap<>(WatchedKind.class);

		private SnapshotFileStats fileStats;

		private ProbeResult<NodeDiskUsage> nodeDiskUsage;

		private ProbeResult<ApiServerCertificates> apiServerCertificates;

		private ProbeResult<WebhookCertificates> webhookCertificates;

		private Builder(String source, Instant takenAt, long version) {
			this.source = source;
			this.takenAt = takenAt;
			this.version = version;
		}

		/** A present, synced kind and its objects. */
		public Builder present(WatchedKind kind, String apiVersion, List<KubeObject> items) {
			List<KubeObject> sorted = new ArrayList<>(items);
			sorted.sort(BY_NAME);
			this.objects.put(kind, Collections.unmodifiableList(sorted));
			this.statuses.put(kind, KindStatus.present(kind, apiVersion, sorted.size()));
			return this;
		}

		/** A kind with no objects to read: absent, or known by its status only. */
		public Builder status(KindStatus status, WatchedKind kind) {
			this.objects.put(kind, List.of());
			this.statuses.put(kind, status);
			return this;
		}

		public Builder fileStats(SnapshotFileStats stats) {
			this.fileStats = stats;
			return this;
		}

		public Builder nodeDiskUsage(ProbeResult<NodeDiskUsage> usage) {
			this.nodeDiskUsage = usage;
			return this;
		}

		public Builder webhookCertificates(ProbeResult<WebhookCertificates> certificates) {
			this.webhookCertificates = certificates;
			return this;
		}

		public Builder apiServerCertificates(ProbeResult<ApiServerCertificates> certificates) {
			this.apiServerCertificates = certificates;
			return this;
		}

		public ClusterSnapshot build() {
			for (WatchedKind kind : WatchedKind.values()) {
				if (!this.statuses.containsKey(kind)) {
					throw new IllegalStateException("No status for " + kind.resource());
				}
			}
			return new ClusterSnapshot(this.source, this.takenAt, this.version,
					Collections.unmodifiableMap(new EnumMap<>(this.statuses)),
					Collections.unmodifiableMap(new EnumMap<>(this.objects)), this.fileStats, this.nodeDiskUsage,
					this.apiServerCertificates, this.webhookCertificates);
		}

	}

}
