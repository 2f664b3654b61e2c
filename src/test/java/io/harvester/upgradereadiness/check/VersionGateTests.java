package io.harvester.upgradereadiness.check;

import io.harvester.upgradereadiness.check.VersionGate.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** How a rule's version range decides whether it applies to one evaluation. */
class VersionGateTests {

	private static final VersionGate CD_ROM = VersionGate.onCurrent("v1.4.1", "v1.8.0");

	@ParameterizedTest(name = "current {0}: {1}")
	@CsvSource({ "v1.4.0, DOES_NOT_APPLY", "v1.4.1, APPLIES", "1.4.1, APPLIES", "v1.6.1, APPLIES",
			"v1.7.3, APPLIES", "v1.8.0, DOES_NOT_APPLY", "v1.9.0, DOES_NOT_APPLY",
			// a prerelease is judged as its release
			"v1.8.0-rc1, DOES_NOT_APPLY", "v1.4.1-rc2, APPLIES", "v1.7.9-rc1, APPLIES",
			// nothing comparable: applied, and said so
			"v1.8-head, ASSUMED", "f024f49a, ASSUMED" })
	void aCurrentRangeIsJudgedByTheRunningVersion(String current, Decision expected) {
		assertThat(CD_ROM.decide(HarvesterVersions.of(current, "v1.9.0"))).isEqualTo(expected);
	}

	@Test
	void anUnreadableRunningVersionAssumesTheRuleInForce() {
		HarvesterVersions unknown = HarvesterVersions.of(null, "v1.8.0");
		assertThat(CD_ROM.decide(unknown)).isEqualTo(Decision.ASSUMED);
		assertThat(CD_ROM.decide(unknown).applies()).isTrue();
		assertThat(CD_ROM.assumption(unknown)).contains("the running version cannot be read (no setting "
				+ "server-version with a value in the snapshot), so this rule (in force on v1.4.1 <= current < v1.8.0) "
				+ "is applied");
		assertThat(CD_ROM.assumption(HarvesterVersions.of("v1.7.0", null))).isEmpty();
	}

	@Test
	void aTargetRangeIsJudgedByTheTarget() {
		VersionGate gate = VersionGate.onTarget("v1.8.0", null);
		assertThat(gate.decide(HarvesterVersions.of("v1.7.2", "v1.8.1"))).isEqualTo(Decision.APPLIES);
		assertThat(gate.decide(HarvesterVersions.of("v1.9.0", "v1.7.9"))).isEqualTo(Decision.DOES_NOT_APPLY);
		assertThat(gate.decide(HarvesterVersions.of("v1.7.2", null))).isEqualTo(Decision.ASSUMED);
	}

	@Test
	void openBoundsReachEveryVersionOnTheirSide() {
		assertThat(VersionGate.onCurrent("v1.6.0", null).decide(HarvesterVersions.of("v9.0.0", null)))
			.isEqualTo(Decision.APPLIES);
		assertThat(VersionGate.onCurrent(null, "v1.6.0").decide(HarvesterVersions.of("v0.3.0", null)))
			.isEqualTo(Decision.APPLIES);
		assertThat(VersionGate.onCurrent(null, "v1.6.0").decide(HarvesterVersions.of("v1.6.0", null)))
			.isEqualTo(Decision.DOES_NOT_APPLY);
	}

	@Test
	void aRangeDescribesItself() {
		assertThat(CD_ROM.describe()).isEqualTo("v1.4.1 <= current < v1.8.0");
		assertThat(VersionGate.onCurrent("v1.6.0", null).describe()).isEqualTo("current >= v1.6.0");
		assertThat(VersionGate.onCurrent(null, "v1.6.0").describe()).isEqualTo("current < v1.6.0");
		assertThat(VersionGate.onTarget("v1.8.2", null).describe()).isEqualTo("target >= v1.8.2");
		assertThat(VersionGate.onTarget(null, null).describe()).isEqualTo("every target version");
	}

	@Test
	void aBoundMustBeARelease() {
		assertThatIllegalArgumentException().isThrownBy(() -> VersionGate.onCurrent("v1.8", null));
		assertThatIllegalArgumentException().isThrownBy(() -> VersionGate.onCurrent(null, "v1.8-head"));
	}

}
