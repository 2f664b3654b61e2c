package io.harvester.upgradereadiness.check.vms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the upgrade-config setting is read, mirroring Harvester's Go decoding of it. */
class RestoreVmGateTests {

	private static final String NODE = """
			apiVersion: v1
			kind: Node
			metadata:
			  name: harv1
			""";

	@Test
	void settingsAbsentCountAsFalseAndSaySo() {
		RestoreVmGate gate = RestoreVmGate.read(Snapshots.of(NODE));
		assertThat(gate.restoreVm()).isFalse();
		Map<String, Object> details = new LinkedHashMap<>();
		gate.describe(details);
		assertThat(details).containsEntry("restoreVM", false)
			.containsEntry("restoreVMFrom",
					"settings.harvesterhci.io is not in the snapshot: restoreVM taken as false");
	}

	@Test
	void upgradeConfigAbsentCountsAsFalse() {
		ClusterSnapshot snapshot = Snapshots.of("""
				apiVersion: harvesterhci.io/v1beta1
				kind: Setting
				metadata:
				  name: server-version
				value: v1.6.0
				""");
		assertThat(RestoreVmGate.read(snapshot).from())
			.isEqualTo("setting upgrade-config not found: restoreVM taken as false");
	}

	@Test
	void valueWinsOverDefault() {
		assertThat(read("{\"restoreVM\":false}", "{\"restoreVM\":true}").restoreVm()).isFalse();
		assertThat(read("", "{\"restoreVM\":true}").restoreVm()).isTrue();
		assertThat(read("{\"restoreVM\":true}", "").from()).isEqualTo("setting upgrade-config");
		assertThat(read("", "").from()).isEqualTo("setting upgrade-config is empty: restoreVM taken as false");
	}

	@Test
	void decodesLikeGo() {
		assertThat(read("{\"restorevm\": true}", "").restoreVm()).as("keys match case-insensitively").isTrue();
		assertThat(read("{\"restoreVM\": null}", "").from())
			.isEqualTo("setting upgrade-config has no restoreVM: taken as false");
		assertThat(read("null", "").invalid()).isNull();
		assertThat(read("null", "").restoreVm()).isFalse();
	}

	@Test
	void invalidJsonIsReported() {
		assertThat(read("{\"restoreVM\":true} trailing", "").invalid())
			.startsWith("setting upgrade-config is not valid JSON: ");
		assertThat(read("[true]", "").invalid()).isEqualTo("setting upgrade-config is not a JSON object but array");
		assertThat(read("{\"restoreVM\":1}", "").invalid())
			.isEqualTo("setting upgrade-config has restoreVM 1, expected true or false");
		assertThat(read("   ", "").invalid()).startsWith("setting upgrade-config is not valid JSON");
		RestoreVmGate gate = read("{\"restoreVM\":\"true\"}", "");
		assertThat(gate.restoreVm()).isFalse();
		assertThat(gate.from()).isEqualTo("setting upgrade-config is invalid: restoreVM taken as false");
	}

	@Test
	void invalidSettingIsReportedEvenOnOneNode() {
		RestoreVmGate gate = read("{", "");
		KubeObject node = Snapshots.single(WatchedKind.NODES, NODE);
		CheckOutcome outcome = gate.exemption(VmsLiveMigratableCheck.DEFINITION, List.of(node)).orElseThrow();
		assertThat(outcome.isSkipped()).isFalse();
		assertThat(outcome.findings()).extracting(Finding::rule).containsExactly("upgrade-config-invalid");
		CheckOutcome single = read("{}", "").exemption(VmsLiveMigratableCheck.DEFINITION, List.of(node)).orElseThrow();
		assertThat(single.skipReason()).isEqualTo(
				"only 1 non-witness node (harv1): VMs cannot be live-migrated and are shut down during the upgrade");
		assertThat(read("{}", "").exemption(VmsLiveMigratableCheck.DEFINITION, List.of())).isEmpty();
	}

	private static RestoreVmGate read(String value, String defaultValue) {
		return RestoreVmGate.read(Snapshots.of("""
				apiVersion: harvesterhci.io/v1beta1
				kind: Setting
				metadata:
				  name: upgrade-config
				default: '%s'
				value: '%s'
				""".formatted(defaultValue, value)));
	}

}
