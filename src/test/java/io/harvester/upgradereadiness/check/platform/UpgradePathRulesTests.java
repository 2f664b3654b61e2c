package io.harvester.upgradereadiness.check.platform;

import java.util.Optional;

import io.harvester.upgradereadiness.check.HarvesterVersion;
import io.harvester.upgradereadiness.check.platform.UpgradePathCheck.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The version guard's decisions, case by case: the behaviour Harvester's own tests pin down for strict mode
 * ({@code harvester/go-common} {@code version/upgrade_test.go}), restated here as current, target, minimum and
 * expected refusal ({@code -} for allowed, an empty minimum for none).
 */
class UpgradePathRulesTests {

	@ParameterizedTest(name = "{0} -> {1} (min {2}): {3}")
	@CsvSource({
			// allowed
			"v1.2.1, v1.2.1, v1.1.2, -", "v1.1.2, v1.2.1, v1.1.2, -", "v1.2.0, v1.2.1, v1.1.2, -",
			"v1.1.2, v1.2.1-rc1, v1.1.2, -", "v1.2.0, v1.2.1-rc1, v1.1.2, -", "v1.2.1, v1.2-ab12cd34, , -",
			"v1.2.2-rc1, v1.2.2-rc1, v1.2.1, -", "v1.2.2-rc1, v1.2.2-rc2, v1.2.1, -", "v1.2.2-rc1, v1.2-ab12cd34, , -",
			"v1.2-ab12cd34, v1.2-ab12cd34, , -", "v1.2-ab12cd34, v1.2-1234567, , -", "v1.2.1, v1.3.0, , -",
			"v1.2.1-rc1, v1.2.1, , -", "v1.2.1-rc1, v1.2.1-rc1.1, , -",
			// refused
			"v1.1.1, v1.2.1, v1.1.2, below-min-upgradable-version", "v1.2.1, v1.2.0, v1.1.2, downgrade",
			"v1.1.1, v1.2.1-rc1, v1.1.2, below-min-upgradable-version", "v1.2.1, v1.2.1-rc1, v1.1.2, downgrade",
			"v1.1.2-rc1, v1.2.1, v1.1.2, below-min-upgradable-version",
			"v1.2.0-rc1, v1.2.1, v1.1.2, prerelease-cross-version",
			"v1.1.1-rc1, v1.2.1, v1.1.2, below-min-upgradable-version",
			"v1.2.1-rc1, v1.2.2-rc2, v1.2.1, below-min-upgradable-version",
			"v1.2.0-rc1, v1.2.1-rc2, v1.1.2, prerelease-cross-version", "v1.2-ab12cd34, v1.2.1, v1.1.2, dev-to-release",
			"v1.2-ab12cd34, v1.2.2-rc1, v1.2.1, dev-to-release", "v1.3.0, v1.2.1, , downgrade",
			"v1.2.1-rc2, v1.2.1-rc1, , downgrade", "v1.2.2, v1.2.2-rc2, , downgrade",
			"v1.2.1-rc2, v1.2.2, , prerelease-cross-version",
			"v1.4.2, v1.6.0, v1.5.0, below-min-upgradable-version",
			"v1.5.0, v1.6.0, v1.5-head, min-upgradable-version-incomparable",
			// the same version wins over everything after it, even a minimum above it
			"v1.2.1, v1.2.1, v1.3.0, -" })
	void followsHarvestersVersionGuard(String current, String target, String min, String expected) {
		Optional<Rule> refusal = UpgradePathCheck.refusal(HarvesterVersion.parse(current),
				HarvesterVersion.parse(target), (min != null) ? HarvesterVersion.parse(min) : null);
		assertThat(refusal.map(rule -> rule.id).orElse("-")).isEqualTo(expected);
	}

}
