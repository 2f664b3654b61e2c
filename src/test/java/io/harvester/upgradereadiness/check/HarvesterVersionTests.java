package io.harvester.upgradereadiness.check;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Harvester's reading of version strings: strict semver after one leading {@code v}, anything else is dev. */
class HarvesterVersionTests {

	@ParameterizedTest
	@ValueSource(strings = { "v1.4.1", "1.4.1", "v1.5.0-rc2", "v1.10.0", "v0.0.0", "v1.2.3+build.5",
			"v1.2.3-rc.1+sha.abc", "v1.2.3-0", "v1.2.3-x-y" })
	void semanticVersionsAreReleases(String raw) {
		assertThat(HarvesterVersion.parse(raw).isDev()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "v1.2-head", "f024f49a", "aabbccdd-dirty", "v1.2-ab12cd34", "V1.2.3", "vv1.2.3",
			"v1.2", "v1.2.3.4", "v01.2.3", "v1.2.3-01", "v1.2.3-rc_1", "v1.2.3-", "v1.2.3+", " v1.2.3",
			"v99999999999999999999.0.0" })
	void anythingElseIsADevVersion(String raw) {
		assertThat(HarvesterVersion.parse(raw).isDev()).isTrue();
	}

	@Test
	void emptyStringsAreNotVersions() {
		assertThat(HarvesterVersion.isValid("")).isFalse();
		assertThat(HarvesterVersion.isValid("v")).isFalse();
		assertThat(HarvesterVersion.isValid(null)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> HarvesterVersion.parse("v"));
	}

	@Test
	void prereleaseIsAReleaseWithASuffix() {
		assertThat(HarvesterVersion.parse("v1.5.0-rc2").isPrerelease()).isTrue();
		assertThat(HarvesterVersion.parse("v1.5.0").isPrerelease()).isFalse();
		assertThat(HarvesterVersion.parse("v1.5.0+build").isPrerelease()).isFalse();
		assertThat(HarvesterVersion.parse("v1.5-head").isPrerelease()).isFalse();
		assertThat(HarvesterVersion.parse("v1.5.0-rc2").stableVersion()).isEqualTo("v1.5.0");
	}

	@ParameterizedTest
	@CsvSource({ "v1.2.2, v1.2.1", "v1.10.0, v1.2.0", "v1.10.0, v1.2.0-rc10", "v1.10.0-rc1, v1.2.0",
			"v1.2.2, v1.2.2-rc1", "v1.2.2-rc1, v1.2.1", "v1.2.2-rc1, v1.2.1-rc2", "v1.2.1-rc3, v1.2.1-rc2",
			"v1.2.1-rc2, v1.2.1-rc10", "v1.2.1-rc.10, v1.2.1-rc.2", "v1.2.1-rc.1.1, v1.2.1-rc.1",
			"v1.2.1-alpha, v1.2.1-2", "v2.0.0, v1.99.99" })
	void newerComparesGreater(String newer, String older) {
		HarvesterVersion a = HarvesterVersion.parse(newer);
		HarvesterVersion b = HarvesterVersion.parse(older);
		assertThat(a.compareTo(b)).isPositive();
		assertThat(b.compareTo(a)).isNegative();
		assertThat(a.isSameAs(b)).isFalse();
	}

	@ParameterizedTest
	@CsvSource({ "v1.2.1, v1.2.1", "v1.2.1, 1.2.1", "v1.2.2-rc1, v1.2.2-rc1", "v1.2.1+a, v1.2.1+b" })
	void equalVersionsAreTheSame(String a, String b) {
		assertThat(HarvesterVersion.parse(a).compareTo(HarvesterVersion.parse(b))).isZero();
		assertThat(HarvesterVersion.parse(a).isSameAs(HarvesterVersion.parse(b))).isTrue();
	}

	@Test
	void devVersionsAreOnlyEqualToTheSameString() {
		assertThat(HarvesterVersion.parse("aabbccdd").isSameAs(HarvesterVersion.parse("aabbccdd"))).isTrue();
		assertThat(HarvesterVersion.parse("aabbccdd").isSameAs(HarvesterVersion.parse("11223344"))).isFalse();
		assertThat(HarvesterVersion.parse("v1.2.1").isSameAs(HarvesterVersion.parse("11223344"))).isFalse();
		assertThatIllegalStateException()
			.isThrownBy(() -> HarvesterVersion.parse("v1.2.1").compareTo(HarvesterVersion.parse("11223344")));
	}

	@Test
	void sameStableVersionIgnoresThePrerelease() {
		assertThat(HarvesterVersion.parse("v1.2.2-rc1").hasSameStableVersion(HarvesterVersion.parse("v1.2.2")))
			.isTrue();
		assertThat(HarvesterVersion.parse("v1.2.2-rc1").hasSameStableVersion(HarvesterVersion.parse("v1.2.2-rc3")))
			.isTrue();
		assertThat(HarvesterVersion.parse("v1.2.0-rc1").hasSameStableVersion(HarvesterVersion.parse("v1.2.1")))
			.isFalse();
	}

}
