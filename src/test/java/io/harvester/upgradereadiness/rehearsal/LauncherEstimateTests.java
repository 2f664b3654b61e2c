package io.harvester.upgradereadiness.rehearsal;

import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harvester.upgradereadiness.cluster.KubeObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario T0 of the specification (drain-rehearsal.md 2.4): without a launcher pod, the request of a 2-vCPU VM
 * with limits 2 CPU / 4Gi under overcommit cpu 1000 %, memory 150 % and overhead ratio 1.5 is KubeVirt's.
 */
class LauncherEstimateTests {

	private static final String VMI = """
			apiVersion: kubevirt.io/v1
			kind: VirtualMachineInstance
			metadata: {name: vm-t0, namespace: default}
			spec:
			  domain:
			    cpu: {cores: 2, sockets: 1, threads: 1}
			    memory: {guest: 4Gi}
			    resources:
			      limits: {cpu: "2", memory: 4Gi}
			      requests: {cpu: 200m, memory: "2862612480"}
			status: {phase: Running, nodeName: n1}
			""";

	@Test
	void kubeVirt16RulesGiveTheTargetPodRequest() {
		Map<String, Long> requests = LauncherEstimate.estimate(vmi(), 1.5, true);

		assertThat(requests.get("cpu")).isEqualTo(205L);
		assertThat(requests.get("memory")).isEqualTo(3_371_567_017L);
		assertThat(requests).containsEntry("devices.kubevirt.io/kvm", 1L);
	}

	@Test
	void kubeVirt15RulesCountSixteenMebibytesOfVideo() {
		assertThat(LauncherEstimate.estimate(vmi(), 1.5, false).get("memory")).isEqualTo(3_346_400_801L);
	}

	@Test
	void theRatioAddsWholeKilobytes() {
		assertThat(LauncherEstimate.multiply(315_969_537L, 1.5)).isEqualTo(473_954_537L);
		assertThat(LauncherEstimate.multiply(299_192_321L, 1.5)).isEqualTo(448_788_321L);
		assertThat(LauncherEstimate.multiply(299_192_321L, 1.0)).isEqualTo(299_192_321L);
	}

	private static KubeObject vmi() {
		return KubeObject.of(new KubernetesSerialization().unmarshal(VMI, GenericKubernetesResource.class));
	}

}
