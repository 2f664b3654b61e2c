package io.harvester.upgradereadiness.cluster;

import java.util.List;

/**
 * Every kind of object the service reads, and what of it the checks read: the one list that the informers, the
 * file reader, the RBAC rules and the documentation all follow.
 */
public enum WatchedKind {

	NODES("", List.of("v1"), "Node", "nodes", List.of("no"), false,
			Projection.keep("spec.providerID", "spec.taints", "spec.unschedulable", "status.allocatable")
				.conditions("status.conditions")
				.annotations("cluster.x-k8s.io/machine", "cluster.x-k8s.io/cluster-namespace",
						"harvesterhci.io/maintain-status", "node.harvesterhci.io/ntp-service")),

	/**
	 * Every pod's effective request is kept (the drain rehearsal sums them per node), not its containers; the
	 * scheduling constraints only of virt-launcher pods and pods with a required anti-affinity (see
	 * {@link PodRequests} and {@link PodScheduling}).
	 */
	PODS("", List.of("v1"), "Pod", "pods", List.of("po"), true,
			Projection.keep("spec.nodeName", "spec.nodeSelector", "status.phase")
				.conditions("status.conditions")
				// what a pod's not-ready containers are described by (check.workloads.ContainerStates)
				.keep(List.of("status.containerStatuses[].name", "status.containerStatuses[].ready",
						"status.containerStatuses[].restartCount", "status.containerStatuses[].state",
						"status.initContainerStatuses[].name", "status.initContainerStatuses[].ready",
						"status.initContainerStatuses[].restartCount", "status.initContainerStatuses[].state"))
				.derive(PodRequests.KEY, PodRequests.INPUTS, PodRequests::derive)
				.derive(PodScheduling.KEY, PodScheduling.INPUTS, PodScheduling::derive)),

	/**
	 * Cluster API Machines. Harvester keeps them in {@code fleet-local}; older support bundles hold
	 * {@code v1alpha4}, current clusters {@code v1beta1}, upstream also serves {@code v1beta2}. The order is our
	 * preference when the API server does not say which version it prefers.
	 */
	MACHINES("cluster.x-k8s.io", List.of("v1beta1", "v1beta2", "v1alpha4"), "Machine", "machines", List.of("ma"), true,
			Projection.keep("spec.providerID", "status.nodeRef", "status.phase")),

	/** Cluster API Clusters; Harvester's is {@code fleet-local/local}. */
	CAPI_CLUSTERS("cluster.x-k8s.io", List.of("v1beta1", "v1beta2", "v1alpha4"), "Cluster", "clusters", List.of("cl"), true,
			Projection.keep("spec.paused", "status.phase", "status.observedGeneration")),

	MANAGED_CHARTS("management.cattle.io", List.of("v3"), "ManagedChart", "managedcharts", true,
			Projection.keep("status.display", "status.summary").conditions("status.conditions")),

	FLEET_BUNDLES("fleet.cattle.io", List.of("v1alpha1"), "Bundle", "bundles", true,
			Projection.keep("spec.helm", "status.display", "status.summary")),

	UPGRADES("harvesterhci.io", List.of("v1beta1"), "Upgrade", "upgrades", true,
			Projection.keep("spec.version", "status.previousVersion")),

	VERSIONS("harvesterhci.io", List.of("v1beta1"), "Version", "versions", true,
			Projection.keep("spec.minUpgradableVersion")),

	/** Harvester settings, cluster-scoped, with top-level {@code value} and {@code default}. */
	SETTINGS("harvesterhci.io", List.of("v1beta1"), "Setting", "settings", false,
			Projection.keep("value", "default")),

	ADDONS("harvesterhci.io", List.of("v1beta1"), "Addon", "addons", true,
			Projection.keep("spec.chart", "spec.enabled", "spec.version", "status.status")),

	VM_BACKUPS("harvesterhci.io", List.of("v1beta1"), "VirtualMachineBackup", "virtualmachinebackups", List.of("vmbackup", "vmbackups"), true,
			Projection.keep("spec.source", "spec.type", "status.error", "status.progress", "status.readyToUse")),

	VM_BACKUP_SCHEDULES("harvesterhci.io", List.of("v1beta1"), "ScheduleVMBackup", "schedulevmbackups", List.of("svmbackup", "svmbackups"), true,
			Projection.keep("spec.cron", "spec.suspend", "spec.vmbackup", "status.suspended")),

	LONGHORN_VOLUMES("longhorn.io", List.of("v1beta2", "v1beta1"), "Volume", "volumes", List.of("lhv"), true,
			Projection.keep("spec.backingImage", "spec.dataEngine", "spec.numberOfReplicas",
					"status.kubernetesStatus", "status.robustness", "status.state")
				.conditions("status.conditions")),

	/** Replicas are only counted per volume, through their labels: nothing of their body is kept. */
	LONGHORN_REPLICAS("longhorn.io", List.of("v1beta2", "v1beta1"), "Replica", "replicas", List.of("lhr"), true,
			Projection.keep()),

	/** Longhorn's own Node, not the core one: same kind name, another group. */
	LONGHORN_NODES("longhorn.io", List.of("v1beta2", "v1beta1"), "Node", "nodes", List.of("lhn"), true,
			Projection.keep("spec.allowScheduling", "spec.disks", "spec.evictionRequested")),

	LONGHORN_BACKING_IMAGES("longhorn.io", List.of("v1beta2", "v1beta1"), "BackingImage", "backingimages", List.of("lhbi"), true,
			Projection.keep("spec.minNumberOfCopies", "spec.sourceType")),

	/**
	 * Longhorn instance managers and backing image managers are only counted (storage-network-ips): each needs a new
	 * storage-network address while Longhorn is upgraded. Nothing of their body is kept.
	 */
	LONGHORN_INSTANCE_MANAGERS("longhorn.io", List.of("v1beta2", "v1beta1"), "InstanceManager", "instancemanagers",
			List.of("lhim"), true, Projection.keep()),

	LONGHORN_BACKING_IMAGE_MANAGERS("longhorn.io", List.of("v1beta2", "v1beta1"), "BackingImageManager",
			"backingimagemanagers", List.of("lhbim"), true, Projection.keep()),

	/**
	 * Longhorn's own settings, not Harvester's: same kind name, another group. Only
	 * {@code storage-network-for-rwx-volume-enabled} is read, on clusters before v1.8 that have no rwx-network.
	 */
	LONGHORN_SETTINGS("longhorn.io", List.of("v1beta2", "v1beta1"), "Setting", "settings", List.of("lhs"), true,
			Projection.keep("value")),

	/** whereabouts' address pools; the storage and RWX networks' are in {@code kube-system}, named after the range. */
	WHEREABOUTS_IP_POOLS("whereabouts.cni.cncf.io", List.of("v1alpha1"), "IPPool", "ippools", true,
			Projection.keep("spec.allocations", "spec.range")),

	VIRTUAL_MACHINE_IMAGES("harvesterhci.io", List.of("v1beta1"), "VirtualMachineImage", "virtualmachineimages",
			List.of("vmimage", "vmimages"), true,
			Projection.keep("spec.displayName", "status.size", "status.virtualSize")),

	/** Only what tells a PVC made from a VM image and how much it requests. */
	PERSISTENT_VOLUME_CLAIMS("", List.of("v1"), "PersistentVolumeClaim", "persistentvolumeclaims", List.of("pvc"), true,
			Projection.keep("spec.resources.requests")
				.annotations("harvesterhci.io/imageId", "harvesterhci.io/goldenImage")),

	VIRTUAL_MACHINES("kubevirt.io", List.of("v1"), "VirtualMachine", "virtualmachines", List.of("vm", "vms"), true,
			Projection.keep("spec.template.spec.domain.devices.disks", "spec.template.spec.volumes",
					"status.printableStatus", "status.volumeRequests")),

	VIRTUAL_MACHINE_INSTANCES("kubevirt.io", List.of("v1"), "VirtualMachineInstance", "virtualmachineinstances", List.of("vmi", "vmis"),
			true, Projection.keep("spec.affinity", "spec.domain.devices.gpus", "spec.domain.devices.hostDevices",
					"spec.nodeSelector", "spec.volumes", "status.nodeName", "status.phase",
					"spec.domain.devices.disks", "spec.domain.cpu", "spec.domain.memory",
					"spec.domain.resources", "spec.domain.devices.autoattachGraphicsDevice",
					"spec.domain.devices.autoattachSerialConsole", "spec.domain.devices.logSerialConsole",
					"spec.tolerations", "spec.evictionStrategy")
				.conditions("status.conditions")
				.derive(Projection.CREATION_TIMESTAMP, List.of(), (labels, created, body) -> created)),

	/**
	 * Rancher's provisioning cluster; Harvester's is {@code fleet-local/local}. Same kind name as the CAPI Cluster,
	 * another group.
	 */
	PROVISIONING_CLUSTERS("provisioning.cattle.io", List.of("v1"), "Cluster", "clusters", true,
			Projection.keep("status.ready").conditions("status.conditions")),

	/** KubeVirt's own configuration and status; Harvester's is {@code harvester-system/kubevirt}. */
	KUBEVIRTS("kubevirt.io", List.of("v1"), "KubeVirt", "kubevirts", List.of("kv", "kvs"), true,
			Projection.keep("status.observedKubeVirtVersion", "status.phase").conditions("status.conditions")),

	/** system-upgrade-controller Plans: Harvester's upgrade runs its node jobs through them. */
	UPGRADE_PLANS("upgrade.cattle.io", List.of("v1"), "Plan", "plans", true, Projection.keep("status.applying")),

	/** The log collection of a Harvester Upgrade, {@code <upgrade>-upgradelog} in harvester-system. */
	UPGRADE_LOGS("harvesterhci.io", List.of("v1beta1"), "UpgradeLog", "upgradelogs", true,
			Projection.keep("spec.upgradeName"));

	private final String group;

	private final List<String> versions;

	private final String kind;

	private final String plural;

	private final boolean namespaced;

	private final Projection projection;

	private final List<String> shortNames;

	WatchedKind(String group, List<String> versions, String kind, String plural, boolean namespaced,
			Projection projection) {
		this(group, versions, kind, plural, List.of(), namespaced, projection);
	}

	/** A kind with {@code kubectl} short names ({@code vms}, {@code lhv}), as its CRD declares them. */
	WatchedKind(String group, List<String> versions, String kind, String plural, List<String> shortNames,
			boolean namespaced, Projection projection) {
		this.group = group;
		this.versions = versions;
		this.kind = kind;
		this.plural = plural;
		this.shortNames = List.copyOf(shortNames);
		this.namespaced = namespaced;
		this.projection = projection;
	}

	/**
	 * What the checks read of this kind, and all that snapshots keep of its objects (see {@link Projection}). A check
	 * that reads a new field must add it here; its tests fail until it does.
	 */
	public Projection projection() {
		return this.projection;
	}

	/** API group, empty for the core group. */
	public String group() {
		return this.group;
	}

	/** The versions we can read, most preferred first. */
	public List<String> versions() {
		return this.versions;
	}

	public String kind() {
		return this.kind;
	}

	public String plural() {
		return this.plural;
	}

	/** The short names {@code kubectl} accepts for it, as its CRD (or the core API) declares them. */
	public List<String> shortNames() {
		return this.shortNames;
	}

	/** The singular resource name: the kind in lower case, as Kubernetes derives it. */
	public String singular() {
		return this.kind.toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * Every name {@code kubectl get} knows the resource by, which is how dumps name their files: plural, singular,
	 * short names, and the group-qualified plural ({@code volumes.longhorn.io}).
	 */
	public java.util.Set<String> names() {
		java.util.Set<String> names = new java.util.LinkedHashSet<>();
		names.add(this.plural);
		names.add(singular());
		names.addAll(this.shortNames);
		names.add(resource());
		return names;
	}

	public boolean namespaced() {
		return this.namespaced;
	}

	public boolean isCore() {
		return this.group.isEmpty();
	}

	/** The resource as RBAC and {@code kubectl} name it: {@code nodes}, {@code machines.cluster.x-k8s.io}. */
	public String resource() {
		return isCore() ? this.plural : this.plural + "." + this.group;
	}

	public String apiVersion(String version) {
		return isCore() ? version : this.group + "/" + version;
	}

	/** The preferred apiVersion, used when no version has been discovered. */
	public String defaultApiVersion() {
		return apiVersion(this.versions.get(0));
	}

	/** Whether an object of this apiVersion and kind is one of ours (any readable version). */
	public boolean matches(String apiVersion, String kind) {
		if (!this.kind.equals(kind) || apiVersion == null) {
			return false;
		}
		return this.versions.stream().map(this::apiVersion).anyMatch(apiVersion::equals);
	}

	/** Whether a {@code <group>/<version>} path segment (or {@code v1} for core) names this kind's group. */
	public boolean matchesGroupVersion(String groupVersion) {
		return this.versions.stream().map(this::apiVersion).anyMatch(groupVersion::equals);
	}

}
