package io.harvester.upgradereadiness.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * A synthetic Harvester cluster of any size, made of the demo snapshot's real shapes: per node its core Node (with
 * the image list a kubelet reports), its Cluster API Machine, its Longhorn Node, {@value #VOLUMES_PER_VM} Longhorn
 * volumes for each of its {@value #VMS_PER_NODE} running VMs (each with {@value #REPLICAS_PER_VOLUME} replicas on
 * this node and the next ones), the VMs, their VMIs and virt-launcher pods, and {@value #DAEMON_PODS_PER_NODE}
 * DaemonSet pods; plus the demo's cluster-wide objects (settings, versions, add-ons, bundles, ...) once.
 * <p>
 * Everything is healthy but for a few problems that grow with the cluster (one pod in {@value #UNREADY_POD_EVERY} is
 * not ready) and the demo's own cluster-wide ones (a backup schedule not suspended, a backing image with one copy),
 * so that a report over it has findings to serialise. With {@link #withManagedFields()} every object carries the
 * {@code metadata.managedFields} an API server returns in lists and watches (one entry per field manager, listing
 * the fields it set), and which {@code kubectl get -o yaml} hides.
 * <p>
 * Deterministic: the same size gives the same objects.
 */
public final class SyntheticCluster {

	public static final int VMS_PER_NODE = 5;

	public static final int VOLUMES_PER_VM = 2;

	public static final int REPLICAS_PER_VOLUME = 3;

	public static final int DAEMON_PODS_PER_NODE = 3;

	public static final int IMAGES_PER_NODE = 50;

	public static final int UNREADY_POD_EVERY = 1000;

	/** The demo's cluster-wide kinds, copied as they are. */
	private static final Map<WatchedKind, String> CLUSTER_WIDE = new EnumMap<>(Map.ofEntries(
			Map.entry(WatchedKind.SETTINGS, "settings.yaml"), Map.entry(WatchedKind.VERSIONS, "versions.yaml"),
			Map.entry(WatchedKind.UPGRADES, "upgrades.yaml"), Map.entry(WatchedKind.ADDONS, "addons.yaml"),
			Map.entry(WatchedKind.FLEET_BUNDLES, "bundles.yaml"),
			Map.entry(WatchedKind.MANAGED_CHARTS, "managedcharts.yaml"),
			Map.entry(WatchedKind.CAPI_CLUSTERS, "clusters.yaml"),
			Map.entry(WatchedKind.LONGHORN_BACKING_IMAGES, "longhorn-backingimages.yaml"),
			Map.entry(WatchedKind.VM_BACKUPS, "virtualmachinebackups.yaml"),
			Map.entry(WatchedKind.VM_BACKUP_SCHEDULES, "schedulevmbackups.yaml"),
			Map.entry(WatchedKind.LONGHORN_INSTANCE_MANAGERS, "longhorn-instancemanagers.yaml"),
			Map.entry(WatchedKind.LONGHORN_BACKING_IMAGE_MANAGERS, "longhorn-backingimagemanagers.yaml"),
			Map.entry(WatchedKind.LONGHORN_SETTINGS, "longhorn-settings.yaml"),
			Map.entry(WatchedKind.WHEREABOUTS_IP_POOLS, "ippools.yaml"),
			Map.entry(WatchedKind.VIRTUAL_MACHINE_IMAGES, "virtualmachineimages.yaml"),
			Map.entry(WatchedKind.PERSISTENT_VOLUME_CLAIMS, "persistentvolumeclaims.yaml")));

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private final int nodes;

	private final boolean managedFields;

	private final Templates templates = Templates.load();

	private SyntheticCluster(int nodes, boolean managedFields) {
		this.nodes = nodes;
		this.managedFields = managedFields;
	}

	/** A healthy Harvester cluster of this many nodes, as {@code kubectl get -o yaml} shows it. */
	public static SyntheticCluster ofNodes(int nodes) {
		return new SyntheticCluster(nodes, false);
	}

	/** The same cluster as the API server serves it, with {@code metadata.managedFields}. */
	public SyntheticCluster withManagedFields() {
		return new SyntheticCluster(this.nodes, true);
	}

	public int nodes() {
		return this.nodes;
	}

	/** Every object, kind by kind, as JSON-shaped maps. */
	public Map<WatchedKind, List<Map<String, Object>>> objects() {
		Map<WatchedKind, List<Map<String, Object>>> objects = new EnumMap<>(WatchedKind.class);
		for (WatchedKind kind : WatchedKind.values()) {
			objects.put(kind, new ArrayList<>());
		}
		generate((kind, object) -> objects.get(kind).add(object));
		return objects;
	}

	/** The number of objects of each kind, without keeping them. */
	public Map<WatchedKind, Integer> counts() {
		Map<WatchedKind, Integer> counts = new EnumMap<>(WatchedKind.class);
		generate((kind, object) -> counts.merge(kind, 1, Integer::sum));
		return counts;
	}

	/** The cluster as the service's snapshot (every kind present), as the file reader would build it. */
	public ClusterSnapshot snapshot(Instant takenAt) {
		Map<WatchedKind, List<KubeObject>> views = new EnumMap<>(WatchedKind.class);
		for (WatchedKind kind : WatchedKind.values()) {
			views.put(kind, new ArrayList<>());
		}
		generate((kind, object) -> views.get(kind)
			.add(KubeObject.of(SERIALIZATION.convertValue(object, GenericKubernetesResource.class))));
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder("synthetic:" + this.nodes + "-nodes", takenAt, 1);
		views.forEach((kind, list) -> builder.present(kind, kind.defaultApiVersion(), list));
		return builder.build();
	}

	/**
	 * Writes the cluster as {@code kubectl get -A -o json} would, one {@code List} file per kind
	 * ({@code <resource>.json}), streaming: the objects are never all in memory.
	 * @return the number of objects written
	 */
	public long writeJsonFiles(Path directory) {
		JsonMapper mapper = JsonMapper.builder().build();
		Map<WatchedKind, JsonGenerator> generators = new EnumMap<>(WatchedKind.class);
		List<OutputStream> streams = new ArrayList<>();
		long[] written = { 0 };
		try {
			Files.createDirectories(directory);
			for (WatchedKind kind : WatchedKind.values()) {
				OutputStream out = new java.io.BufferedOutputStream(
						Files.newOutputStream(directory.resolve(kind.resource() + ".json")), 1 << 16);
				streams.add(out);
				JsonGenerator generator = mapper.createGenerator(out);
				generator.writeStartObject();
				generator.writeStringProperty("apiVersion", "v1");
				generator.writeStringProperty("kind", "List");
				generator.writeName("items");
				generator.writeStartArray();
				generators.put(kind, generator);
			}
			generate((kind, object) -> {
				generators.get(kind).writePOJO(object);
				written[0]++;
			});
			for (JsonGenerator generator : generators.values()) {
				generator.writeEndArray();
				generator.writeEndObject();
				generator.close();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (OutputStream out : streams) {
				try {
					out.close();
				}
				catch (IOException ex) {
					// already closed by its generator
				}
			}
		}
		return written[0];
	}

	/** Generates every object, in kind order within each node, and hands each to the sink. */
	public void generate(Sink sink) {
		Random random = new Random(this.nodes);
		for (Map.Entry<WatchedKind, String> entry : CLUSTER_WIDE.entrySet()) {
			for (Map<String, Object> object : this.templates.clusterWide.get(entry.getKey())) {
				emit(sink, entry.getKey(), copy(object), "demo", random);
			}
		}
		int pod = 0;
		for (int i = 0; i < this.nodes; i++) {
			String node = nodeName(i);
			String machine = "custom-" + hex(random, 12);
			String nodeUid = uuid(random);
			List<String> nodeReplicas = new ArrayList<>();
			emit(sink, WatchedKind.MACHINES, machine(node, nodeUid, machine, random), "rancher", random);
			for (int v = 0; v < VMS_PER_NODE; v++) {
				String namespace = "tenant-" + (i % 50);
				String vm = "vm-" + node + "-" + v;
				String vmUid = uuid(random);
				String vmiUid = uuid(random);
				String launcher = "virt-launcher-" + vm + "-" + hex(random, 5);
				boolean ready = (++pod % UNREADY_POD_EVERY) != 0;
				emit(sink, WatchedKind.VIRTUAL_MACHINES, vm(namespace, vm, vmUid, random), "harvester", random);
				emit(sink, WatchedKind.VIRTUAL_MACHINE_INSTANCES, vmi(namespace, vm, vmUid, vmiUid, node, launcher),
						"virt-controller", random);
				emit(sink, WatchedKind.PODS, launcher(namespace, vm, vmiUid, node, launcher, ready, random), "kubelet",
						random);
				for (int d = 0; d < VOLUMES_PER_VM; d++) {
					String volume = "pvc-" + uuid(random);
					String volumeUid = uuid(random);
					String pvc = vm + "-disk-" + d + "-" + hex(random, 5);
					emit(sink, WatchedKind.LONGHORN_VOLUMES, volume(volume, volumeUid, namespace, pvc, vm, launcher,
							node, random), "longhorn-manager", random);
					for (int r = 0; r < REPLICAS_PER_VOLUME; r++) {
						String replicaNode = nodeName((i + r) % this.nodes);
						String replica = volume + "-r-" + hex(random, 8);
						if (r == 0) {
							nodeReplicas.add(replica);
						}
						emit(sink, WatchedKind.LONGHORN_REPLICAS, replica(replica, volume, volumeUid, replicaNode,
								random), "longhorn-manager", random);
					}
				}
			}
			for (int p = 0; p < DAEMON_PODS_PER_NODE; p++) {
				boolean ready = (++pod % UNREADY_POD_EVERY) != 0;
				emit(sink, WatchedKind.PODS, daemonPod(p, i, node, ready, random), "kubelet", random);
			}
			emit(sink, WatchedKind.NODES, node(node, nodeUid, machine, i, random), "kubelet", random);
			emit(sink, WatchedKind.LONGHORN_NODES, longhornNode(node, nodeReplicas, random), "longhorn-manager",
					random);
		}
	}

	public static String nodeName(int index) {
		return String.format(Locale.ROOT, "hv-%05d", index);
	}

	private void emit(Sink sink, WatchedKind kind, Map<String, Object> object, String manager, Random random) {
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("resourceVersion", Integer.toString(1_000_000 + random.nextInt(9_000_000)));
		if (this.managedFields) {
			metadata.put("managedFields", managedFields(object, manager));
		}
		sink.accept(kind, object);
	}

	/**
	 * What an API server records for an object: one entry per field manager with the fields it owns, in the
	 * {@code FieldsV1} shape ({@code {"f:spec": {"f:replicas": {}}}}), here for every field of the object.
	 */
	private static List<Map<String, Object>> managedFields(Map<String, Object> object, String manager) {
		List<Map<String, Object>> entries = new ArrayList<>();
		for (String part : List.of("spec", "status")) {
			Object value = object.get(part);
			if (!(value instanceof Map<?, ?>)) {
				continue;
			}
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("apiVersion", object.get("apiVersion"));
			entry.put("fieldsType", "FieldsV1");
			entry.put("fieldsV1", Map.of("f:" + part, fields(value)));
			entry.put("manager", part.equals("status") ? manager : manager + "-controller");
			entry.put("operation", "Update");
			if (part.equals("status")) {
				entry.put("subresource", "status");
			}
			entry.put("time", "2026-11-18T09:12:44Z");
			entries.add(entry);
		}
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put("apiVersion", object.get("apiVersion"));
		meta.put("fieldsType", "FieldsV1");
		Map<String, Object> labels = new LinkedHashMap<>();
		Object metadataLabels = ((Map<?, ?>) object.get("metadata")).get("labels");
		if (metadataLabels instanceof Map<?, ?> m) {
			m.keySet().forEach(k -> labels.put("f:" + k, Map.of()));
		}
		meta.put("fieldsV1", Map.of("f:metadata", Map.of("f:labels", labels)));
		meta.put("manager", manager);
		meta.put("operation", "Update");
		meta.put("time", "2026-11-18T09:12:44Z");
		entries.add(0, meta);
		return entries;
	}

	private static Object fields(Object value) {
		Map<String, Object> fields = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			map.forEach((k, v) -> fields.put("f:" + k, fields(v)));
		}
		else if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				Object item = list.get(i);
				String key = (item instanceof Map<?, ?> m && m.get("name") != null)
						? "k:{\"name\":\"" + m.get("name") + "\"}" : "i:" + i;
				fields.put(key, fields(item));
			}
		}
		return fields;
	}

	private Map<String, Object> machine(String node, String nodeUid, String machine, Random random) {
		Map<String, Object> object = copy(this.templates.machine);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", machine);
		metadata.put("uid", uuid(random));
		Map<String, Object> spec = map(object, "spec");
		map(spec, "bootstrap", "configRef").put("name", machine);
		map(spec, "bootstrap").put("dataSecretName", machine + "-machine-bootstrap");
		map(spec, "infrastructureRef").put("name", machine);
		spec.put("providerID", "rke2://" + node);
		Map<String, Object> status = map(object, "status");
		map(status, "nodeRef").put("name", node);
		map(status, "nodeRef").put("uid", nodeUid);
		return object;
	}

	private Map<String, Object> node(String node, String uid, String machine, int index, Random random) {
		Map<String, Object> object = copy(this.templates.node);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", node);
		metadata.put("uid", uid);
		map(metadata, "labels").put("kubernetes.io/hostname", node);
		map(metadata, "labels").put("rke.cattle.io/machine", uuid(random));
		if (index >= 3) {
			// Only the first three nodes are control-plane nodes, as in a real Harvester cluster.
			map(metadata, "labels").keySet().removeIf(k -> k.startsWith("node-role.kubernetes.io/"));
		}
		String ip = "10." + (100 + index / 65_000) + "." + (index / 250 % 256) + "." + (index % 250 + 1);
		map(metadata, "annotations").put("cluster.x-k8s.io/machine", machine);
		map(metadata, "annotations").put("rke2.io/hostname", node);
		map(metadata, "annotations").put("rke2.io/internal-ip", ip);
		map(object, "spec").put("providerID", "rke2://" + node);
		map(object, "spec").put("podCIDR", "10.52." + (index % 256) + ".0/24");
		Map<String, Object> status = map(object, "status");
		status.put("addresses", List.of(Map.of("address", ip, "type", "InternalIP"),
				Map.of("address", node, "type", "Hostname")));
		List<Map<String, Object>> images = new ArrayList<>();
		for (int i = 0; i < IMAGES_PER_NODE; i++) {
			String repository = "registry.suse.com/harvester/component-" + i;
			images.add(new LinkedHashMap<>(Map.of("names",
					List.of(repository + "@sha256:" + hex(random, 64), repository + ":v1.5." + (i % 7)), "sizeBytes",
					50_000_000L + random.nextInt(900_000_000))));
		}
		status.put("images", images);
		return object;
	}

	private Map<String, Object> longhornNode(String node, List<String> replicas, Random random) {
		Map<String, Object> object = copy(this.templates.longhornNode);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", node);
		metadata.put("uid", uuid(random));
		map(object, "spec").put("name", node);
		Map<String, Object> diskStatus = map(object, "status", "diskStatus");
		for (Object disk : diskStatus.values()) {
			@SuppressWarnings("unchecked")
			Map<String, Object> status = (Map<String, Object>) disk;
			Map<String, Object> scheduled = new LinkedHashMap<>();
			replicas.forEach(r -> scheduled.put(r, 42_949_672_960L));
			status.put("scheduledReplica", scheduled);
			status.put("diskUUID", uuid(random));
		}
		return object;
	}

	private Map<String, Object> vm(String namespace, String vm, String uid, Random random) {
		Map<String, Object> object = copy(this.templates.vm);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", vm);
		metadata.put("namespace", namespace);
		metadata.put("uid", uid);
		map(metadata, "annotations").put("harvesterhci.io/volumeClaimTemplates",
				"[{\"metadata\":{\"name\":\"" + vm + "-disk-0\"},\"spec\":{\"accessModes\":[\"ReadWriteMany\"],"
						+ "\"resources\":{\"requests\":{\"storage\":\"40Gi\"}},\"volumeMode\":\"Block\","
						+ "\"storageClassName\":\"harvester-longhorn\"}}]");
		Map<String, Object> template = map(object, "spec", "template");
		map(template, "metadata", "labels").put("harvesterhci.io/vmName", vm);
		map(template, "spec").put("hostname", vm);
		renameVolumes(map(template, "spec"), vm);
		return object;
	}

	private Map<String, Object> vmi(String namespace, String vm, String vmUid, String uid, String node,
			String launcher) {
		Map<String, Object> object = copy(this.templates.vmi);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", vm);
		metadata.put("namespace", namespace);
		metadata.put("uid", uid);
		relabel(metadata, vm, node);
		for (Object owner : (List<?>) metadata.get("ownerReferences")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> ref = (Map<String, Object>) owner;
			ref.put("name", vm);
			ref.put("uid", vmUid);
		}
		map(object, "spec").put("hostname", vm);
		renameVolumes(map(object, "spec"), vm);
		Map<String, Object> status = map(object, "status");
		status.put("nodeName", node);
		status.put("activePods", Map.of(launcher, node));
		return object;
	}

	private Map<String, Object> launcher(String namespace, String vm, String vmiUid, String node, String name,
			boolean ready, Random random) {
		Map<String, Object> object = copy(this.templates.launcher);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", name);
		metadata.put("namespace", namespace);
		metadata.put("uid", uuid(random));
		metadata.put("generateName", "virt-launcher-" + vm + "-");
		relabel(metadata, vm, node);
		map(metadata, "labels").put("kubevirt.io/created-by", vmiUid);
		Map<String, Object> annotations = map(metadata, "annotations");
		annotations.put("kubevirt.io/domain", vm);
		for (Object owner : (List<?>) metadata.get("ownerReferences")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> ref = (Map<String, Object>) owner;
			ref.put("name", vm);
			ref.put("uid", vmiUid);
		}
		map(object, "spec").put("nodeName", node);
		renameVolumes(map(object, "spec"), vm);
		podStatus(object, ready, random);
		return object;
	}

	private Map<String, Object> daemonPod(int which, int index, String node, boolean ready, Random random) {
		Map<String, Object> object = copy(this.templates.daemonPods.get(which % this.templates.daemonPods.size()));
		Map<String, Object> metadata = map(object, "metadata");
		// Unique, as the API server makes them: the node's index in base 36, then the pod's (one digit).
		metadata.put("name", metadata.get("generateName") + Integer.toString(index, 36) + which);
		metadata.put("uid", uuid(random));
		map(object, "spec").put("nodeName", node);
		podStatus(object, ready, random);
		return object;
	}

	/** A running pod's status; an unready one has a crash-looping container, as Grafana's in the demo. */
	@SuppressWarnings("unchecked")
	private static void podStatus(Map<String, Object> pod, boolean ready, Random random) {
		Map<String, Object> status = map(pod, "status");
		status.put("podIP", "10.52." + random.nextInt(256) + "." + random.nextInt(256));
		for (Object item : (List<?>) status.get("containerStatuses")) {
			Map<String, Object> container = (Map<String, Object>) item;
			container.put("containerID", "containerd://" + hex(random, 64));
			if (!ready) {
				container.put("ready", false);
				container.put("restartCount", 42);
				container.put("state", Map.of("waiting", Map.of("reason", "CrashLoopBackOff", "message",
						"back-off 5m0s restarting failed container")));
			}
		}
		if (!ready) {
			for (Object item : (List<?>) status.get("conditions")) {
				Map<String, Object> condition = (Map<String, Object>) item;
				if ("Ready".equals(condition.get("type")) || "ContainersReady".equals(condition.get("type"))) {
					condition.put("status", "False");
					condition.put("reason", "ContainersNotReady");
					condition.put("message", "containers with unready status: ["
							+ ((Map<String, Object>) ((List<?>) status.get("containerStatuses")).get(0)).get("name") + "]");
				}
			}
		}
	}

	private Map<String, Object> volume(String name, String uid, String namespace, String pvc, String vm,
			String launcher, String node, Random random) {
		Map<String, Object> object = copy(this.templates.volume);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", name);
		metadata.put("uid", uid);
		map(metadata, "labels").put("longhornvolume", name);
		Map<String, Object> status = map(object, "status");
		status.put("currentNodeID", node);
		status.put("ownerID", node);
		status.put("actualSize", 1_000_000_000L + random.nextInt(1_000_000_000));
		Map<String, Object> kubernetesStatus = map(status, "kubernetesStatus");
		kubernetesStatus.put("namespace", namespace);
		kubernetesStatus.put("pvName", name);
		kubernetesStatus.put("pvcName", pvc);
		kubernetesStatus.put("workloadsStatus", List.of(new LinkedHashMap<>(Map.of("podName", launcher, "podStatus",
				"Running", "workloadName", vm, "workloadType", "VirtualMachineInstance"))));
		return object;
	}

	private Map<String, Object> replica(String name, String volume, String volumeUid, String node, Random random) {
		Map<String, Object> object = copy(this.templates.replica);
		Map<String, Object> metadata = map(object, "metadata");
		metadata.put("name", name);
		metadata.put("uid", uuid(random));
		Map<String, Object> labels = map(metadata, "labels");
		labels.put("longhornnode", node);
		labels.put("longhornvolume", volume);
		labels.put("longhorndiskuuid", uuid(random));
		for (Object owner : (List<?>) metadata.get("ownerReferences")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> ref = (Map<String, Object>) owner;
			ref.put("name", volume);
			ref.put("uid", volumeUid);
		}
		Map<String, Object> spec = map(object, "spec");
		spec.put("nodeID", node);
		spec.put("volumeName", volume);
		spec.put("engineName", volume + "-e-0");
		spec.put("dataDirectoryName", volume + "-" + hex(random, 8));
		map(object, "status").put("ownerID", node);
		map(object, "status").put("instanceManagerName", "instance-manager-" + hex(random, 32));
		return object;
	}

	private static void relabel(Map<String, Object> metadata, String vm, String node) {
		Map<String, Object> labels = map(metadata, "labels");
		labels.replaceAll((key, value) -> switch (key) {
			case "harvesterhci.io/vmName", "vm.kubevirt.io/name", "kubevirt.io/domain" -> vm;
			case "kubevirt.io/nodeName" -> node;
			default -> value;
		});
	}

	/** Points the PVC volumes of a VM, VMI or pod spec at the VM's own claims and secrets. */
	@SuppressWarnings("unchecked")
	private static void renameVolumes(Map<String, Object> spec, String vm) {
		Object volumes = spec.get("volumes");
		if (!(volumes instanceof List<?> list)) {
			return;
		}
		for (Object item : list) {
			Map<String, Object> volume = (Map<String, Object>) item;
			if (volume.get("persistentVolumeClaim") instanceof Map<?, ?> claim) {
				((Map<String, Object>) claim).put("claimName", vm + "-" + volume.get("name"));
			}
			if (volume.get("cloudInitNoCloud") instanceof Map<?, ?> cloudInit) {
				for (Object ref : cloudInit.values()) {
					if (ref instanceof Map<?, ?> secret) {
						((Map<String, Object>) secret).put("name", vm + "-cloudinit");
					}
				}
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> object, String... path) {
		Map<String, Object> current = object;
		for (String step : path) {
			Object next = current.get(step);
			if (!(next instanceof Map<?, ?>)) {
				next = new LinkedHashMap<String, Object>();
				current.put(step, next);
			}
			current = (Map<String, Object>) next;
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static <T> T copy(T value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>(map.size() * 2);
			map.forEach((k, v) -> copy.put((String) k, copy(v)));
			return (T) copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>(list.size());
			list.forEach(v -> copy.add(copy(v)));
			return (T) copy;
		}
		return value;
	}

	private static String hex(Random random, int length) {
		StringBuilder text = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			text.append(Character.forDigit(random.nextInt(16), 16));
		}
		return text.toString();
	}

	private static String uuid(Random random) {
		return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
	}

	/** Receives the generated objects. */
	@FunctionalInterface
	public interface Sink {

		void accept(WatchedKind kind, Map<String, Object> object);

	}

	/** The demo's objects that the synthetic ones are made from. */
	private static final class Templates {

		private static volatile Templates loaded;

		Map<String, Object> node;

		Map<String, Object> machine;

		Map<String, Object> longhornNode;

		Map<String, Object> volume;

		Map<String, Object> replica;

		Map<String, Object> vm;

		Map<String, Object> vmi;

		Map<String, Object> launcher;

		List<Map<String, Object>> daemonPods;

		final Map<WatchedKind, List<Map<String, Object>>> clusterWide = new EnumMap<>(WatchedKind.class);

		static Templates load() {
			Templates templates = loaded;
			if (templates == null) {
				templates = new Templates();
				templates.read();
				loaded = templates;
			}
			return templates;
		}

		private void read() {
			this.node = named("nodes.yaml", "harv41");
			this.machine = named("machines.yaml", "custom-765c16e8db40");
			this.longhornNode = named("longhorn-nodes.yaml", "harv41");
			this.volume = named("longhorn-volumes.yaml", "pvc-32dd8209-ccce-4a48-a428-25d9e047646a");
			this.replica = named("longhorn-replicas.yaml", "pvc-32dd8209-ccce-4a48-a428-25d9e047646a-r-c7db1c15");
			this.vm = named("virtualmachines.yaml", "ubuntu-web-01");
			this.vmi = named("virtualmachineinstances.yaml", "ubuntu-web-01");
			this.launcher = named("pods.yaml", "virt-launcher-ubuntu-web-01-f6tnn");
			this.daemonPods = List.of(named("pods.yaml", "harvester-network-controller-4ntph"),
					named("pods.yaml", "harvester-node-manager-bqsnp"), named("pods.yaml", "virt-handler-p9gdk"));
			CLUSTER_WIDE.forEach((kind, file) -> this.clusterWide.put(kind, items(file)));
		}

		private static Map<String, Object> named(String file, String name) {
			for (Map<String, Object> item : items(file)) {
				if (name.equals(((Map<?, ?>) item.get("metadata")).get("name"))) {
					return item;
				}
			}
			throw new IllegalStateException("No " + name + " in demo-snapshot/" + file);
		}

		@SuppressWarnings("unchecked")
		private static List<Map<String, Object>> items(String file) {
			try (InputStream in = SyntheticCluster.class.getClassLoader()
				.getResourceAsStream("demo-snapshot/" + file)) {
				if (in == null) {
					throw new IllegalStateException("No demo-snapshot/" + file);
				}
				Object document = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
				return (List<Map<String, Object>>) ((Map<String, Object>) document).get("items");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
