package io.harvester.upgradereadiness.check.vms;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which nodes a VMI's CPU lets it migrate to, as KubeVirt's migration controller decides it. */
class CpuModelsTests {

	private static final String NODES = """
			apiVersion: v1
			kind: Node
			metadata:
			  name: harv1
			  labels:
			    cpu-vendor.node.kubevirt.io/Intel: "true"
			    host-model-cpu.node.kubevirt.io/Icelake-Server-noTSX: "true"
			    host-model-required-features.node.kubevirt.io/md-clear: "true"
			    cpu-model-migration.node.kubevirt.io/Icelake-Server-noTSX: "true"
			    cpu-model-migration.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
			    cpu-model.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
			    cpu-feature.node.kubevirt.io/md-clear: "true"
			---
			apiVersion: v1
			kind: Node
			metadata:
			  name: harv2
			  labels:
			    cpu-vendor.node.kubevirt.io/Intel: "true"
			    host-model-cpu.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
			    cpu-model-migration.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
			    cpu-model.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
			    cpu-feature.node.kubevirt.io/md-clear: "true"
			---
			apiVersion: v1
			kind: Node
			metadata:
			  name: harv3
			  labels:
			    cpu-vendor.node.kubevirt.io/AMD: "true"
			    cpu-model.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
			""";

	@Test
	void aHostModelVmiOnItsFirstNodeNeedsThatNodesModelAndRequiredFeatures() {
		ClusterSnapshot snapshot = Snapshots.of(NODES + vmi("web", "harv1", "host-model"));
		CpuModels.Constraint constraint = CpuModels.of(snapshot).constraint(vmi(snapshot), HarvesterVersions.of("v1.8.1", "v1.8.2"));

		assertThat(constraint.requiredLabels()).containsExactly(
				Map.entry("cpu-feature.node.kubevirt.io/md-clear", "true"),
				Map.entry("cpu-model-migration.node.kubevirt.io/Icelake-Server-noTSX", "true"));
		assertThat(constraint.from()).isEqualTo("the host-model CPU of node harv1");
		assertThat(constraint.allowed(snapshot.nodes())).extracting(KubeObject::name).containsExactly("harv1");
	}

	@Test
	void aMigratedHostModelVmiKeepsWhatItsLauncherPodRequiresAndFromV19TheVendor() {
		ClusterSnapshot snapshot = Snapshots.of(NODES + vmi("app", "harv2", "host-model") + """
				---
				apiVersion: v1
				kind: Pod
				metadata:
				  name: virt-launcher-app-x2k4p
				  namespace: default
				  labels:
				    kubevirt.io: virt-launcher
				    vm.kubevirt.io/name: app
				spec:
				  nodeName: harv2
				  nodeSelector:
				    kubevirt.io/schedulable: "true"
				    cpu-model-migration.node.kubevirt.io/Cascadelake-Server-noTSX: "true"
				status:
				  phase: Running
				""");
		CpuModels models = CpuModels.of(snapshot);

		CpuModels.Constraint before = models.constraint(vmi(snapshot), HarvesterVersions.of("v1.8.1", "v1.8.2"));
		CpuModels.Constraint after = models.constraint(vmi(snapshot), HarvesterVersions.of("v1.8.2", "v1.9.0"));

		assertThat(before.requiredLabels()).containsOnlyKeys("cpu-model-migration.node.kubevirt.io/Cascadelake-Server-noTSX");
		assertThat(before.from()).isEqualTo("the nodeSelector of launcher pod virt-launcher-app-x2k4p");
		assertThat(after.requiredLabels()).containsOnlyKeys(
				"cpu-model-migration.node.kubevirt.io/Cascadelake-Server-noTSX", "cpu-vendor.node.kubevirt.io/Intel");
		assertThat(after.from()).endsWith(" and the CPU vendor of node harv2");
	}

	@Test
	void anExplicitModelNeedsTheModelLabelAndHostPassthroughOnlyTheVendor() {
		ClusterSnapshot named = Snapshots.of(NODES + vmi("legacy", "harv2", "Cascadelake-Server-noTSX"));
		CpuModels.Constraint model = CpuModels.of(named).constraint(vmi(named), HarvesterVersions.of("v1.8.1", "v1.8.2"));
		assertThat(model.requiredLabels()).containsOnlyKeys("cpu-model.node.kubevirt.io/Cascadelake-Server-noTSX");
		assertThat(model.allowed(named.nodes())).extracting(KubeObject::name).containsExactly("harv1", "harv2", "harv3");

		ClusterSnapshot passthrough = Snapshots.of(NODES + vmi("bench", "harv2", "host-passthrough"));
		assertThat(CpuModels.of(passthrough).constraint(vmi(passthrough), HarvesterVersions.of("v1.8.1", "v1.8.2"))
			.constrains()).isFalse();
		assertThat(CpuModels.of(passthrough)
			.constraint(vmi(passthrough), HarvesterVersions.of("v1.8.1", null))
			.allowed(passthrough.nodes())).as("no target: the vendor rule is assumed")
			.extracting(KubeObject::name)
			.containsExactly("harv1", "harv2");
	}

	@Test
	void aHostModelVmiOnANodeWithoutAHostModelLabelCannotMigrateAnywhere() {
		ClusterSnapshot snapshot = Snapshots.of(NODES + vmi("old", "harv3", "host-model") + vmi("other", "harv1", "host-model"));
		List<Finding> findings = new VmCpuModelCompatibleCheck()
			.evaluate(snapshot, new CheckContext(Instant.EPOCH, false, CheckOptions.defaults(),
					HarvesterVersions.of("v1.8.1", "v1.8.2")))
			.findings();

		assertThat(findings).extracting(Finding::rule, Finding::message)
			.contains(org.assertj.core.api.Assertions.tuple("host-model-unknown",
					"VM default/old cannot live-migrate: its node harv3 has no host-model-cpu.node.kubevirt.io/* "
							+ "label, so KubeVirt cannot choose a target (unable to locate host cpu model)"));
	}

	private static KubeObject vmi(ClusterSnapshot snapshot) {
		return snapshot.objects(WatchedKind.VIRTUAL_MACHINE_INSTANCES).get(0);
	}

	private static String vmi(String name, String node, String model) {
		return """
				---
				apiVersion: kubevirt.io/v1
				kind: VirtualMachineInstance
				metadata:
				  name: %s
				  namespace: default
				spec:
				  domain:
				    cpu:
				      cores: 2
				      model: %s
				status:
				  nodeName: %s
				  phase: Running
				""".formatted(name, model, node);
	}

}
