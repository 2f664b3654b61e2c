package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SnapshotFileReaderTests {

	private static final Instant TAKEN_AT = Instant.parse("2026-11-20T10:00:00Z");

	private final SnapshotFileReader reader = new SnapshotFileReader();

	@TempDir
	Path dir;

	@Test
	void readsMultiDocumentYamlAndSkipsWhatIsNotAKubernetesObject() throws IOException {
		write("dump.yaml", """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv1
				---
				# a document that is YAML but no Kubernetes object
				just: a map
				---
				apiVersion: v1
				kind: ConfigMap
				metadata:
				  name: unrelated
				  namespace: default
				---
				apiVersion: cluster.x-k8s.io/v1beta1
				kind: Machine
				metadata:
				  name: custom-a
				  namespace: fleet-local
				status:
				  phase: Running
				""");

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.nodes()).extracting(KubeObject::name).containsExactly("harv1");
		assertThat(snapshot.machines()).extracting(m -> m.ref().qualifiedName()).containsExactly("fleet-local/custom-a");
		assertThat(snapshot.machines().get(0).string("status.phase")).contains("Running");
		assertThat(snapshot.fileStats()).isEqualTo(new SnapshotFileStats(1, 0, 2, 1, 1, 0));
		assertThat(snapshot.source()).isEqualTo("file:" + this.dir.toAbsolutePath().normalize());
		assertThat(snapshot.takenAt()).isEqualTo(TAKEN_AT);
	}

	@Test
	void readsAListAsKubectlPrintsItInJson() throws IOException {
		write("machines.json", """
				{
				    "apiVersion": "v1",
				    "items": [
				        {
				            "apiVersion": "cluster.x-k8s.io/v1beta1",
				            "kind": "Machine",
				            "metadata": {"name": "custom-b", "namespace": "fleet-local"},
				            "spec": {"providerID": "rke2://harv2"},
				            "status": {"phase": "Running", "nodeRef": {"kind": "Node", "name": "harv2"}}
				        },
				        {
				            "apiVersion": "cluster.x-k8s.io/v1beta1",
				            "kind": "Machine",
				            "metadata": {"name": "custom-a", "namespace": "fleet-local"},
				            "status": {"phase": "Provisioning"}
				        }
				    ],
				    "kind": "List",
				    "metadata": {"resourceVersion": ""}
				}
				""");

		ClusterSnapshot snapshot = this.reader.read(this.dir.resolve("machines.json"), TAKEN_AT);

		assertThat(snapshot.machines()).extracting(KubeObject::name).containsExactly("custom-a", "custom-b");
		assertThat(snapshot.machines().get(1).string("status.nodeRef.name")).contains("harv2");
		assertThat(snapshot.status(WatchedKind.MACHINES)).isEqualTo(
				new KindStatus("Machine", "cluster.x-k8s.io/v1beta1", "machines.cluster.x-k8s.io", true, true, 2, null));
		assertThat(snapshot.status(WatchedKind.NODES).present()).isFalse();
	}

	@Test
	void readsJsonListsAsTheApiServerWritesThemItemByItem() throws IOException {
		// Typed lists, kind first and items without a kind; an empty one; a plain object after them; a document
		// that is no object.
		write("api.json", """
				{"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "7"},
				 "items": [{"metadata": {"name": "harv2"}, "spec": {"providerID": "rke2://harv2"}},
				           {"metadata": {"name": "harv1"}}, "not an object"]}
				{"kind": "MachineList", "apiVersion": "cluster.x-k8s.io/v1beta1", "items": []}
				{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
				 "status": {"phase": "Running"}}
				[1, 2]
				""");

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.nodes()).extracting(KubeObject::name).containsExactly("harv1", "harv2");
		assertThat(snapshot.nodes().get(1).string("spec.providerID")).contains("rke2://harv2");
		assertThat(snapshot.status(WatchedKind.MACHINES).present()).as("an empty typed list names its kind").isTrue();
		assertThat(snapshot.objects(WatchedKind.PODS)).extracting(KubeObject::name).containsExactly("p");
		assertThat(snapshot.fileStats()).isEqualTo(new SnapshotFileStats(1, 0, 3, 0, 2, 0));
	}

	@Test
	void readsObjectsWhateverTheOrderOfTheirFieldsAndKeepsOnlyWhatTheChecksRead() throws IOException {
		// kind after the fields; a typed list whose kind comes after its kind-less items; managedFields skipped.
		write("odd.json", """
				{"metadata": {"name": "harv1", "labels": {"zone": 1},
				              "managedFields": [{"manager": "kubelet"}], "generation": "3"},
				 "status": {"conditions": [{"type": "Ready", "status": "True"}], "images": [{"names": ["a"]}]},
				 "apiVersion": "v1", "kind": "Node"}
				{"items": [{"metadata": {"name": "custom-a", "namespace": "fleet-local"},
				            "status": {"phase": "Running"}}],
				 "apiVersion": "cluster.x-k8s.io/v1beta1", "kind": "MachineList"}
				""");

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		KubeObject node = snapshot.nodes().get(0);
		assertThat(node.name()).isEqualTo("harv1");
		assertThat(node.label("zone")).as("a label written as a number is its text").contains("1");
		assertThat(node.generation()).contains(3L);
		assertThat(node.condition("status.conditions", "Ready")).hasValueSatisfying(c -> assertThat(c.isTrue()).isTrue());
		assertThatIllegalStateException().isThrownBy(() -> node.value("status.images"))
			.withMessageStartingWith("Field status.images of Node is not kept");
		assertThat(snapshot.machines()).singleElement().satisfies(m -> {
			assertThat(m.ref().qualifiedName()).isEqualTo("fleet-local/custom-a");
			assertThat(m.string("status.phase")).contains("Running");
		});
		assertThat(snapshot.fileStats()).isEqualTo(new SnapshotFileStats(1, 0, 2, 0, 0, 0));
	}

	@Test
	void refusesAJsonFileThatIsNotJsonNamingTheFileAndTheLine() throws IOException {
		Path broken = write("nodes.json", """
				{"apiVersion": "v1", "kind": "List",
				 "items": [{"metadata": {"name": "harv1"}},
				           {"metadata": {"name": "harv2"}]}
				""");

		assertThatExceptionOfType(SnapshotReadException.class).isThrownBy(() -> this.reader.read(this.dir, TAKEN_AT))
			.withMessageStartingWith("Cannot parse snapshot file " + broken + " at line 3, column ");
	}

	@Test
	void readsTypedListsWhoseItemsCarryNoKind() throws IOException {
		write("nodes.yaml", """
				apiVersion: v1
				kind: NodeList
				items:
				- metadata:
				    name: harv2
				- metadata:
				    name: harv1
				""");
		write("machines.yaml", """
				apiVersion: cluster.x-k8s.io/v1beta1
				kind: MachineList
				items: []
				""");

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.nodes()).extracting(KubeObject::name).containsExactly("harv1", "harv2");
		assertThat(snapshot.nodes()).extracting(KubeObject::kind).containsOnly("Node");
		assertThat(snapshot.status(WatchedKind.MACHINES).present()).isTrue();
		assertThat(snapshot.status(WatchedKind.MACHINES).count()).isZero();
	}

	@Test
	void readsNestedDirectoriesAndOlderMachineVersions() throws IOException {
		write("a/b/c/nodes.yml", """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv1
				""");
		write("a/machines.yaml", """
				apiVersion: cluster.x-k8s.io/v1alpha4
				kind: Machine
				metadata:
				  name: custom-old
				  namespace: fleet-local
				""");
		write("a/notes.txt", "not a snapshot file");

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.nodes()).hasSize(1);
		assertThat(snapshot.machines()).extracting(KubeObject::name).containsExactly("custom-old");
		assertThat(snapshot.status(WatchedKind.MACHINES).apiVersion()).isEqualTo("cluster.x-k8s.io/v1alpha4");
		assertThat(snapshot.fileStats().filesIgnored()).isEqualTo(1);
	}

	@Test
	void aKindInNoFileIsAbsentAndAnEmptyListInAFileNamedAfterItIsPresentWithNone() throws IOException {
		write("nodes.yaml", """
				apiVersion: v1
				kind: List
				items: []
				""");

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		// nodes is also Longhorn's resource name: with no group in the path, the core kind is meant.
		assertThat(snapshot.status(WatchedKind.NODES)).isEqualTo(
				new KindStatus("Node", "v1", "nodes", true, true, 0, null));
		assertThat(snapshot.status(WatchedKind.LONGHORN_NODES).present()).isFalse();
		assertThat(snapshot.status(WatchedKind.MACHINES)).isEqualTo(new KindStatus("Machine",
				"cluster.x-k8s.io/v1beta1", "machines.cluster.x-k8s.io", false, true, 0,
				"no file in the snapshot holds machines.cluster.x-k8s.io"));
	}

	/** {@code kubectl get <name> -A -o yaml > <name>.yaml} on a cluster with none prints an empty plain List. */
	@Test
	void emptyListsNamedByShortSingularOrPluralNameMakeTheirKindsPresentWithNone() throws IOException {
		String empty = """
				apiVersion: v1
				items: []
				kind: List
				metadata:
				  resourceVersion: ""
				""";
		write("vms.yaml", empty);
		write("vmis.yaml", empty);
		write("lhv.yaml", empty);
		write("backingimage.yml", empty);
		write("schedulevmbackups.json", """
				{"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}}
				""");
		write("notes.yaml", empty);

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.status(WatchedKind.VIRTUAL_MACHINES)).isEqualTo(
				new KindStatus("VirtualMachine", "kubevirt.io/v1", "virtualmachines.kubevirt.io", true, true, 0, null));
		assertThat(snapshot.status(WatchedKind.VIRTUAL_MACHINE_INSTANCES).usable()).isTrue();
		assertThat(snapshot.status(WatchedKind.LONGHORN_VOLUMES)).isEqualTo(
				new KindStatus("Volume", "longhorn.io/v1beta2", "volumes.longhorn.io", true, true, 0, null));
		assertThat(snapshot.status(WatchedKind.LONGHORN_BACKING_IMAGES).usable()).isTrue();
		assertThat(snapshot.status(WatchedKind.VM_BACKUP_SCHEDULES).usable()).isTrue();
		// A name no kind has says nothing; every other kind stays absent.
		assertThat(snapshot.statuses()).filteredOn(KindStatus::present)
			.extracting(KindStatus::resource)
			.containsExactlyInAnyOrder("virtualmachines.kubevirt.io", "virtualmachineinstances.kubevirt.io",
					"volumes.longhorn.io", "backingimages.longhorn.io", "schedulevmbackups.harvesterhci.io");
		assertThat(snapshot.fileStats()).isEqualTo(new SnapshotFileStats(6, 0, 0, 0, 0, 0));
	}

	@Test
	void aNameSeveralKindsShareGoesToTheGroupItsDirectoriesName() throws IOException {
		String empty = """
				apiVersion: v1
				kind: List
				items: []
				""";
		write("bundle/longhorn.io/v1beta1/nodes.yaml", empty);
		write("bundle/longhorn.io/volumes.yaml", empty);

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.status(WatchedKind.LONGHORN_NODES)).isEqualTo(
				new KindStatus("Node", "longhorn.io/v1beta1", "nodes.longhorn.io", true, true, 0, null));
		assertThat(snapshot.status(WatchedKind.NODES).present()).isFalse();
		assertThat(snapshot.status(WatchedKind.LONGHORN_VOLUMES).apiVersion()).isEqualTo("longhorn.io/v1beta2");
	}

	@Test
	void anEmptyListNamedWhatSeveralKindsShareWithNoGroupAndNoCoreKindIsAnIgnoredFile() throws IOException {
		String empty = """
				apiVersion: v1
				kind: List
				items: []
				""";
		// settings: Harvester's and Longhorn's, neither core.
		write("settings.yaml", empty);

		ClusterSnapshot ambiguous = this.reader.read(this.dir, TAKEN_AT);

		assertThat(ambiguous.status(WatchedKind.SETTINGS).present()).isFalse();
		assertThat(ambiguous.status(WatchedKind.LONGHORN_SETTINGS).present()).isFalse();
		assertThat(ambiguous.fileStats()).isEqualTo(new SnapshotFileStats(0, 1, 0, 0, 0, 0));

		write("harvesterhci.io/v1beta1/settings.yaml", empty);
		Files.delete(this.dir.resolve("settings.yaml"));

		ClusterSnapshot resolved = this.reader.read(this.dir, TAKEN_AT);

		assertThat(resolved.status(WatchedKind.SETTINGS).usable()).isTrue();
		assertThat(resolved.status(WatchedKind.LONGHORN_SETTINGS).present()).isFalse();
		assertThat(resolved.fileStats()).isEqualTo(new SnapshotFileStats(1, 0, 0, 0, 0, 0));
	}

	@Test
	void theNamesOfAKindAreItsPluralSingularShortNamesAndQualifiedResource() {
		assertThat(WatchedKind.VIRTUAL_MACHINE_INSTANCES.names()).containsExactly("virtualmachineinstances",
				"virtualmachineinstance", "vmi", "vmis", "virtualmachineinstances.kubevirt.io");
		assertThat(SnapshotFileReader.kindNamedBy("yamls/cluster/v1/nodes.yaml").hint())
			.hasValueSatisfying(hint -> assertThat(hint.kind()).isEqualTo(WatchedKind.NODES));
		assertThat(SnapshotFileReader.kindNamedBy("lhn.yaml").hint())
			.hasValueSatisfying(hint -> assertThat(hint.kind()).isEqualTo(WatchedKind.LONGHORN_NODES));
		assertThat(SnapshotFileReader.kindNamedBy("dump.yaml")).isEqualTo(SnapshotFileReader.FileName.NONE);
	}

	@Test
	void readsASupportBundleAsItIs() {
		Path bundle = Path.of("src/test/resources/snapshots/support-bundle");

		ClusterSnapshot snapshot = this.reader.read(bundle, TAKEN_AT);

		// Core Node only: Longhorn's Node and NodeMetrics (also in files named nodes.yaml) are other kinds.
		assertThat(snapshot.nodes()).extracting(KubeObject::apiVersion, KubeObject::name).containsExactly(
				org.assertj.core.groups.Tuple.tuple("v1", "harv1"));
		KubeObject node = snapshot.nodes().get(0);
		assertThat(node.annotation("cluster.x-k8s.io/machine")).contains("custom-8b3d1bdf21ef");
		assertThat(node.label("harvesterhci.io/managed")).contains("true");
		assertThat(node.value("spec.taints")).as("the kit's \"null\" is empty").isEmpty();
		// An empty list still says, through its path, that Machines are served: present with none.
		assertThat(snapshot.status(WatchedKind.MACHINES).present()).isTrue();
		assertThat(snapshot.status(WatchedKind.MACHINES).count()).isZero();
		// The kit writes pod priorities as "2.0E9": the file is read all the same (the priority itself is not
		// kept, no check reads it).
		assertThat(snapshot.objects(WatchedKind.PODS)).extracting(KubeObject::name)
			.containsExactly("harvester-6b8f9c7d5-x2x9z");
		assertThatIllegalStateException().isThrownBy(() -> snapshot.objects(WatchedKind.PODS).get(0).value("spec.priority"))
			.withMessageStartingWith("Field spec.priority of Pod is not kept");
		// Longhorn's Node is read as Longhorn's, not as a core Node.
		assertThat(snapshot.objects(WatchedKind.LONGHORN_NODES)).extracting(KubeObject::apiVersion)
			.containsExactly("longhorn.io/v1beta2");
		// metadata.yaml is YAML but no object; the log and the zip are not read; the node metrics are objects of
		// a kind no check reads.
		assertThat(snapshot.fileStats()).isEqualTo(new SnapshotFileStats(6, 2, 3, 1, 1, 0));
	}

	@Test
	void refusesAFileThatIsNotYamlNamingTheFileAndTheLine() throws IOException {
		write("ok.yaml", """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv1
				""");
		Path broken = write("sub/broken.yaml", """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv2
				   labels: {oops
				""");

		assertThatExceptionOfType(SnapshotReadException.class).isThrownBy(() -> this.reader.read(this.dir, TAKEN_AT))
			.withMessageStartingWith("Cannot parse snapshot file " + broken + " at line 5, column ");
	}

	@Test
	void refusesAListWhoseItemsAreNotAList() throws IOException {
		Path file = write("nodes.yaml", """
				apiVersion: v1
				kind: List
				items: {name: harv1}
				""");

		assertThatExceptionOfType(SnapshotReadException.class).isThrownBy(() -> this.reader.read(this.dir, TAKEN_AT))
			.withMessage("Cannot read snapshot file " + file + ": document 1 is a List whose items are not a list");
	}

	@Test
	void refusesAPathThatDoesNotExist() {
		Path missing = this.dir.resolve("nope");

		assertThatExceptionOfType(SnapshotReadException.class).isThrownBy(() -> this.reader.read(missing, TAKEN_AT))
			.withMessage("Snapshot path " + missing + " does not exist");
	}

	@Test
	void keepsTheFirstOfDuplicateObjectsAndCountsTheRest() throws IOException {
		write("a.yaml", """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv1
				  labels: {from: a}
				""");
		// the bigger file is read first (big files go first so that the reading threads finish together): the
		// first file in path order still wins
		write("b.yaml", """
				apiVersion: v1
				kind: Node
				metadata:
				  name: harv1
				  labels: {from: b}
				""" + "# padding\n".repeat(1000));

		ClusterSnapshot snapshot = this.reader.read(this.dir, TAKEN_AT);

		assertThat(snapshot.nodes()).singleElement().satisfies(n -> assertThat(n.label("from")).contains("a"));
		assertThat(snapshot.fileStats().duplicatesIgnored()).isEqualTo(1);
	}

	private Path write(String relative, String content) throws IOException {
		Path file = this.dir.resolve(relative);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

}
