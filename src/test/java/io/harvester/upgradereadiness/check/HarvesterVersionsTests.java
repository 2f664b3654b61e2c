package io.harvester.upgradereadiness.check;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the running and target versions are found. */
class HarvesterVersionsTests {

	private static final CheckOptions DEFAULTS = CheckOptions.defaults();

	@Test
	void aRequestedTargetWinsAndNamesWhoSetIt() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("v1.4.1", "")), versions("v1.5.0"));
		HarvesterVersions target = HarvesterVersions.resolve(snapshot,
				DEFAULTS.withTargetVersion(new Switch<>(" v1.6.0 ", "request parameter targetVersion")));
		assertThat(target).isEqualTo(new HarvesterVersions("v1.4.1", "v1.6.0", "request parameter targetVersion"));
		assertThat(target.targetFromVersionObject()).isFalse();
	}

	@Test
	void aBlankRequestedTargetCountsAsNone() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("v1.4.1", "")), versions("v1.5.0"));
		HarvesterVersions target = HarvesterVersions.resolve(snapshot, DEFAULTS.withTargetVersion(new Switch<>(" ", "x")));
		assertThat(target.target()).isEqualTo("v1.5.0");
	}

	@Test
	void withoutARequestTheNewestReleaseVersionObjectIsTheTarget() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("", "v1.4.1")),
				versions("v1.5.0", "v1.10.0-rc1", "v1.9.2", "v1.11-head", "f024f49a"));
		HarvesterVersions target = HarvesterVersions.resolve(snapshot, DEFAULTS);
		assertThat(target).isEqualTo(new HarvesterVersions("v1.4.1", "v1.10.0-rc1", HarvesterVersions.NEWEST_VERSION_OBJECT));
		assertThat(target.targetFromVersionObject()).isTrue();
	}

	@Test
	void aReleaseBeatsItsPrerelease() {
		ClusterSnapshot snapshot = snapshot(List.of(), versions("v1.6.0-rc3", "v1.6.0"));
		assertThat(HarvesterVersions.resolve(snapshot, DEFAULTS).target()).isEqualTo("v1.6.0");
	}

	@Test
	void whenEveryVersionObjectIsADevBuildTheGreatestNameIsTaken() {
		ClusterSnapshot snapshot = snapshot(List.of(), versions("v1.5-head", "v1.6-head", "a1b2c3d4"));
		assertThat(HarvesterVersions.resolve(snapshot, DEFAULTS).target()).isEqualTo("v1.6-head");
	}

	@Test
	void withoutVersionObjectsOrSettingsNothingIsKnown() {
		ClusterSnapshot snapshot = snapshot(List.of(), List.of());
		assertThat(HarvesterVersions.resolve(snapshot, DEFAULTS)).isEqualTo(new HarvesterVersions(null, null, null));
	}

	@Test
	void versionObjectsThatCannotBeReadGiveNoTarget() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("v1.4.1", "")), null);
		assertThat(HarvesterVersions.resolve(snapshot, DEFAULTS)).isEqualTo(new HarvesterVersions("v1.4.1", null, null));
	}

	@Test
	void theVersionObjectOfATargetIsFoundByNameOrBySameVersion() {
		ClusterSnapshot snapshot = snapshot(List.of(), versions("v1.5.0", "1.6.0", "v1.7-head"));
		assertThat(HarvesterVersions.versionObject(snapshot, "v1.5.0")).map(KubeObject::name).contains("v1.5.0");
		assertThat(HarvesterVersions.versionObject(snapshot, "v1.6.0")).map(KubeObject::name).contains("1.6.0");
		assertThat(HarvesterVersions.versionObject(snapshot, "v1.7-head")).map(KubeObject::name).contains("v1.7-head");
		assertThat(HarvesterVersions.versionObject(snapshot, "1.7-head")).isEmpty();
		assertThat(HarvesterVersions.versionObject(snapshot, "v1.8.0")).isEmpty();
	}

	@Test
	void aReleaseIsKnownADevBuildOrNothingIsNot() {
		assertThat(HarvesterVersions.of("v1.7.2", null).currentKnown()).isTrue();
		assertThat(HarvesterVersions.of("1.7.2", null).currentKnown()).isTrue();
		assertThat(HarvesterVersions.of("v1.8.0-rc2", null).currentKnown()).isTrue();
		assertThat(HarvesterVersions.of("v1.8-head", null).currentKnown()).isFalse();
		assertThat(HarvesterVersions.of(null, "v1.8.0").currentKnown()).isFalse();
		assertThat(HarvesterVersions.of("v1.8-head", null).currentUnknownReason()).hasValueSatisfying(
				reason -> assertThat(reason).contains("v1.8-head is a development build"));
		assertThat(HarvesterVersions.of("v1.8.0", null).currentUnknownReason()).isEmpty();
	}

	@Test
	void aMinorChangeIsAChangeOfMajorOrMinor() {
		assertThat(HarvesterVersions.of("v1.7.2", "v1.8.0").minorChanges()).contains(true);
		assertThat(HarvesterVersions.of("v1.8.0", "v1.8.2").minorChanges()).contains(false);
		assertThat(HarvesterVersions.of("v1.8.0-rc1", "v1.8.0").minorChanges()).contains(false);
		assertThat(HarvesterVersions.of("v1.9.1", "v2.0.0").minorChanges()).contains(true);
		assertThat(HarvesterVersions.of("v1.8-head", "v1.8.0").minorChanges()).isEmpty();
		assertThat(HarvesterVersions.of("v1.8.0", null).minorChanges()).isEmpty();
	}

	@Test
	void theRunningVersionIsTakenFromServerVersionTrimmed() {
		ClusterSnapshot snapshot = snapshot(List.of(setting(" v1.7.1 ", "")), List.of());
		assertThat(HarvesterVersions.resolve(snapshot, DEFAULTS).current()).isEqualTo("v1.7.1");
	}

	private static List<KubeObject> versions(String... names) {
		return Arrays.stream(names)
			.map(name -> object("harvesterhci.io/v1beta1", "Version", "harvester-system", name,
					Map.of("spec", Map.of("isoURL", "https://releases.rancher.com/harvester/" + name + "/x.iso"))))
			.toList();
	}

	private static KubeObject setting(String value, String defaultValue) {
		return object("harvesterhci.io/v1beta1", "Setting", null, "server-version",
				Map.of("value", value, "default", defaultValue));
	}

	private static KubeObject object(String apiVersion, String kind, String namespace, String name,
			Map<String, Object> body) {
		GenericKubernetesResource resource = new GenericKubernetesResource();
		resource.setApiVersion(apiVersion);
		resource.setKind(kind);
		ObjectMeta meta = new ObjectMeta();
		meta.setName(name);
		meta.setNamespace(namespace);
		resource.setMetadata(meta);
		body.forEach(resource::setAdditionalProperty);
		return KubeObject.of(resource);
	}

	/** Versions {@code null} means the kind is absent. */
	private static ClusterSnapshot snapshot(List<KubeObject> settings, List<KubeObject> versions) {
		ClusterSnapshot.Builder builder = ClusterSnapshot.builder("test", Instant.EPOCH, 1);
		for (WatchedKind kind : WatchedKind.values()) {
			List<KubeObject> objects = new ArrayList<>();
			if (kind == WatchedKind.SETTINGS) {
				objects.addAll(settings);
			}
			if (kind == WatchedKind.VERSIONS) {
				if (versions == null) {
					builder.status(KindStatus.absent(kind, "not installed"), kind);
					continue;
				}
				objects.addAll(versions);
			}
			builder.present(kind, kind.defaultApiVersion(), objects);
		}
		return builder.build();
	}

}
