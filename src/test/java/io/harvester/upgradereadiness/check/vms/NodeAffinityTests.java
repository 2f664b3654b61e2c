package io.harvester.upgradereadiness.check.vms;

import java.util.List;

import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.MalformedFieldException;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The NodeSelector semantics of {@link NodeAffinity}: the scheduler's, as Harvester uses them for HV-17. */
class NodeAffinityTests {

	private static final String TERMS = VmsLiveMigratableCheck.AFFINITY_PATH + ".nodeSelectorTerms";

	private final KubeObject gen3 = node("harv1", "hardware.example.com/cpu-generation: \"3\"");

	private final KubeObject gen4 = node("harv2", "hardware.example.com/cpu-generation: \"4\"\n    zone: a");

	private final KubeObject unlabelled = node("harv3", "");

	@Test
	void inAndNotIn() {
		NodeAffinity in = affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [a, b]}");
		assertThat(matching(in)).containsExactly("harv2");
		NodeAffinity notIn = affinity("- matchExpressions:\n  - {key: zone, operator: NotIn, values: [a]}");
		assertThat(matching(notIn)).as("NotIn holds where the label is absent").containsExactly("harv1", "harv3");
	}

	@Test
	void existsAndDoesNotExist() {
		NodeAffinity exists = affinity("- matchExpressions:\n  - {key: hardware.example.com/cpu-generation, "
				+ "operator: Exists}");
		assertThat(matching(exists)).containsExactly("harv1", "harv2");
		NodeAffinity absent = affinity("- matchExpressions:\n  - {key: zone, operator: DoesNotExist, values: []}");
		assertThat(matching(absent)).containsExactly("harv1", "harv3");
	}

	@Test
	void gtAndLtCompareIntegers() {
		NodeAffinity gt = affinity("- matchExpressions:\n  - {key: hardware.example.com/cpu-generation, "
				+ "operator: Gt, values: [\"3\"]}");
		assertThat(matching(gt)).containsExactly("harv2");
		NodeAffinity lt = affinity("- matchExpressions:\n  - {key: hardware.example.com/cpu-generation, "
				+ "operator: Lt, values: [\"4\"]}");
		assertThat(matching(lt)).as("an absent label never satisfies Lt").containsExactly("harv1");
		KubeObject notANumber = node("harv9", "hardware.example.com/cpu-generation: gen5");
		assertThat(gt.matches(notANumber)).isFalse();
	}

	@Test
	void expressionsAreAndedTermsAreOred() {
		NodeAffinity anded = affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [a]}\n"
				+ "  - {key: hardware.example.com/cpu-generation, operator: In, values: [\"3\"]}");
		assertThat(matching(anded)).isEmpty();
		NodeAffinity ored = affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [a]}\n"
				+ "- matchExpressions:\n  - {key: hardware.example.com/cpu-generation, operator: In, values: [\"3\"]}");
		assertThat(matching(ored)).containsExactly("harv1", "harv2");
	}

	@Test
	void matchFieldsOnTheNodeName() {
		NodeAffinity in = affinity("- matchFields:\n  - {key: metadata.name, operator: In, values: [harv3]}");
		assertThat(matching(in)).containsExactly("harv3");
		NodeAffinity notIn = affinity("- matchFields:\n  - {key: metadata.name, operator: NotIn, values: [harv3]}\n"
				+ "  matchExpressions:\n  - {key: zone, operator: DoesNotExist}");
		assertThat(matching(notIn)).containsExactly("harv1");
	}

	@Test
	void emptyTermsMatchNothing() {
		assertThat(matching(affinity("- {}"))).isEmpty();
		assertThat(matching(affinity("[]"))).isEmpty();
		assertThat(matching(affinity("- matchExpressions: []\n  matchFields: []"))).isEmpty();
	}

	@Test
	void invalidTermsAreDroppedAndReported() {
		NodeAffinity affinity = affinity("- matchExpressions:\n  - {key: zone, operator: In, values: []}\n"
				+ "- matchExpressions:\n  - {key: zone, operator: Exists, values: [a]}\n"
				+ "- matchExpressions:\n  - {key: zone, operator: Gt, values: [\"1\", \"2\"]}\n"
				+ "- matchExpressions:\n  - {key: zone, operator: Lt, values: [a]}\n"
				+ "- matchExpressions:\n  - {key: zone, operator: Near, values: [a]}\n"
				+ "- matchExpressions:\n  - {operator: Exists}\n"
				+ "- matchFields:\n  - {key: metadata.name, operator: Exists}\n"
				+ "- matchFields:\n  - {key: metadata.name, operator: In, values: [harv1, harv2]}\n"
				+ "- matchExpressions:\n  - {key: zone, operator: In, values: [a]}");
		assertThat(matching(affinity)).as("the valid last term still counts").containsExactly("harv2");
		assertThat(affinity.problems()).containsExactly(
				TERMS + "[0].matchExpressions[0]: operator In needs at least one value",
				TERMS + "[1].matchExpressions[0]: operator Exists takes no values",
				TERMS + "[2].matchExpressions[0]: operator Gt needs exactly one integer value",
				TERMS + "[3].matchExpressions[0]: operator Lt needs exactly one integer value",
				TERMS + "[4].matchExpressions[0]: unknown operator Near",
				TERMS + "[5].matchExpressions[0]: no key",
				TERMS + "[6].matchFields[0]: operator Exists is not supported for fields, only In and NotIn",
				TERMS + "[7].matchFields[0]: operator In on a field needs exactly one value");
	}

	@Test
	void wrongShapesAreMalformed() {
		assertThatExceptionOfType(MalformedFieldException.class)
			.isThrownBy(() -> affinity("- matchExpressions:\n  - {key: zone, operator: In, values: [1]}"))
			.withMessage("VirtualMachineInstance default/vm1: field " + TERMS
					+ "[0].matchExpressions[0].values[] is a number (1), expected a string");
		assertThatExceptionOfType(MalformedFieldException.class)
			.isThrownBy(() -> affinity("- matchExpressions: {key: zone}"))
			.withMessage("VirtualMachineInstance default/vm1: field " + TERMS
					+ "[0].matchExpressions is an object, expected a list");
	}

	private List<String> matching(NodeAffinity affinity) {
		return List.of(this.gen3, this.gen4, this.unlabelled)
			.stream()
			.filter(affinity::matches)
			.map(KubeObject::name)
			.toList();
	}

	private static NodeAffinity affinity(String termsYaml) {
		String indented = termsYaml.startsWith("[") ? " " + termsYaml
				: "\n" + termsYaml.lines().map(l -> "          " + l).reduce((a, b) -> a + "\n" + b).orElse("");
		KubeObject vmi = Snapshots.single(WatchedKind.VIRTUAL_MACHINE_INSTANCES, """
				apiVersion: kubevirt.io/v1
				kind: VirtualMachineInstance
				metadata:
				  name: vm1
				  namespace: default
				spec:
				  affinity:
				    nodeAffinity:
				      requiredDuringSchedulingIgnoredDuringExecution:
				        nodeSelectorTerms:%s
				""".formatted(indented));
		return NodeAffinity.parse(vmi, vmi.objects(TERMS), TERMS);
	}

	private static KubeObject node(String name, String labels) {
		return Snapshots.single(WatchedKind.NODES, """
				apiVersion: v1
				kind: Node
				metadata:
				  name: %s
				  labels:
				    kubernetes.io/hostname: %s
				    %s
				""".formatted(name, name, labels));
	}

}
