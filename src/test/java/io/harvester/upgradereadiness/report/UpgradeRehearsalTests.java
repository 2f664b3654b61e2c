package io.harvester.upgradereadiness.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "done when": over three nodes each 70 % full, the rehearsal names the VM that cannot leave the first
 * node in upgrade order and why, drain-capacity blocks with it, the JSON and the text show every step; the same
 * cluster with room FITS.
 */
class UpgradeRehearsalTests {

	private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	private static final String FIXTURES = "src/test/resources/checks/drain-capacity/";

	private static final JsonMapper JSON = JsonMapper.builder()
		.changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	@Test
	void threeNodesSeventyPercentFullNameTheVmThatCannotLeaveTheFirstNode() {
		ReportService service = service("fail-three-nodes-70-percent-full");
		CheckOptions toV17 = CheckOptions.defaults().withTargetVersion(new Switch<>("v1.7.0", "test"));

		JsonNode json = JSON.valueToTree(service.rehearsal(toV17, null));

		assertThat(json.propertyNames()).containsExactly("versions", "snapshot", "orderSource", "singleNode",
				"restoreVM", "order", "steps", "summary", "limits");
		assertThat(json.get("versions").get("target").asString()).isEqualTo("v1.7.0");
		assertThat(json.get("orderSource").asString()).isEqualTo("machines");
		assertThat(json.get("singleNode").asBoolean()).isFalse();
		assertThat(json.get("order").toString()).isEqualTo("[{\"step\":1,\"node\":\"n1\",\"machine\":\"custom-5a7d2c9e8f12\","
				+ "\"tier\":\"init\"},{\"step\":2,\"node\":\"n3\",\"machine\":\"custom-0c5e1f2a3b41\",\"tier\":\"etcd\"},"
				+ "{\"step\":3,\"node\":\"n2\",\"machine\":\"custom-9f3b6a1d4c27\",\"tier\":\"etcd\"}]");
		JsonNode first = json.get("steps").get(0);
		assertThat(first.get("vms").asInt()).isEqualTo(5);
		assertThat(first.get("placed").get(0).toString()).isEqualTo("{\"vm\":\"default/vm-a1\",\"to\":\"n2\","
				+ "\"requests\":{\"cpu\":\"500m\",\"memory\":\"8Gi\",\"devices.kubevirt.io/kvm\":\"1\","
				+ "\"devices.kubevirt.io/tun\":\"1\",\"devices.kubevirt.io/vhost-net\":\"1\"}}");
		JsonNode notPlaced = first.get("notPlaced").get(0);
		assertThat(notPlaced.get("vm").asString()).isEqualTo("default/vm-a5");
		assertThat(notPlaced.get("verdict").asString()).isEqualTo("DOES_NOT_FIT");
		assertThat(notPlaced.get("reasons").toString()).isEqualTo("[{\"node\":\"n1\",\"reason\":\"source node (being "
				+ "drained)\"},{\"node\":\"n2\",\"reason\":\"Insufficient memory (free 3.2Gi, needs 8Gi)\"},{\"node\":"
				+ "\"n3\",\"reason\":\"Insufficient memory (free 3.2Gi, needs 8Gi)\"}]");
		assertThat(json.get("steps")).hasSize(3);
		assertThat(json.get("summary").toString()).isEqualTo("{\"steps\":3,\"vmsPlaced\":18,\"vmsNotPlaced\":1,"
				+ "\"firstFailingStep\":1,\"verdict\":\"DOES_NOT_FIT\"}");

		String text = RehearsalText.render(service.rehearsal(toV17, null));
		assertThat(text).startsWith("Harvester upgrade rehearsal: DOES_NOT_FIT\n")
			.contains("\nstep 1/3  n1  (init, custom-5a7d2c9e8f12)  5 VMs\n")
			.contains("\n    -> default/vm-a1 to n2  cpu 500m, memory 8Gi\n")
			.contains("\n    !! default/vm-a5 DOES_NOT_FIT  cpu 500m, memory 8Gi\n"
					+ "         n1: source node (being drained)\n"
					+ "         n2: Insufficient memory (free 3.2Gi, needs 8Gi)\n"
					+ "         n3: Insufficient memory (free 3.2Gi, needs 8Gi)\n")
			.contains("\nstep 2/3  n3  (etcd, custom-0c5e1f2a3b41)  7 VMs\n")
			.contains("\nstep 3/3  n2  (etcd, custom-9f3b6a1d4c27)  7 VMs\n")
			.contains("\nDOES_NOT_FIT: 3 steps, 18 placements, 1 not placed, first failing step 1\n");

		ReadinessReport report = service.report(Set.of("drain-capacity"), Set.of(), toV17);
		assertThat(report.verdict()).isEqualTo(Verdict.NOT_READY);
		Finding blocker = report.findings().get(0);
		assertThat(blocker.rule()).isEqualTo("does-not-fit");
		assertThat(blocker.blocking()).isTrue();
		assertThat(blocker.resources()).extracting(ResourceRef::toString)
			.containsExactly("VirtualMachine default/vm-a5", "Node n1");
		assertThat(blocker.message()).startsWith("VM default/vm-a5 (needs cpu 500m, memory 8Gi) cannot be placed "
				+ "when node n1 is drained (step 1 of 3): n2: Insufficient memory (free 3.2Gi, needs 8Gi)");
	}

	@Test
	void theSameClusterWithRoomFits() {
		ReportService service = service("pass-enough-room");
		CheckOptions toV17 = CheckOptions.defaults().withTargetVersion(new Switch<>("v1.7.0", "test"));

		UpgradeRehearsal rehearsal = service.rehearsal(toV17, null);

		assertThat(rehearsal.summary().verdict().name()).isEqualTo("FITS");
		assertThat(rehearsal.steps()).allSatisfy(step -> assertThat(step.notPlaced()).isEmpty());
		assertThat(service.report(Set.of("drain-capacity"), Set.of(), toV17).verdict()).isEqualTo(Verdict.READY);
		assertThat(RehearsalText.render(rehearsal)).startsWith("Harvester upgrade rehearsal: FITS\n");
	}

	@Test
	void restoreVmFromTheRequestReplacesTheSettingAndSaysSo() {
		ReportService service = service("pass-non-migratable-vms");

		UpgradeRehearsal rehearsal = service.rehearsal(CheckOptions.defaults(), true);

		assertThat(rehearsal.restoreVM().value()).isTrue();
		assertThat(rehearsal.restoreVM().from()).isEqualTo("request parameter restoreVM");
		assertThat(service.rehearsal(CheckOptions.defaults(), null).restoreVM().from())
			.isEqualTo("setting upgrade-config");
		assertThat(rehearsal.steps().get(2).nonMigratable()).extracting(n -> n.vm() + " " + n.outcome())
			.isEqualTo(List.of("default/pinned RESTORED_ON_NODE"));
	}

	private static ReportService service(String fixture) {
		return new ReportService(FileSnapshotSource.load(FIXTURES + fixture + "/cluster", NOW.minusSeconds(30)),
				CheckCatalogue.standard(), new CheckRunner(), Clock.fixed(NOW, ZoneOffset.UTC), CheckOptions.defaults(),
				Duration.ofSeconds(60));
	}

}
