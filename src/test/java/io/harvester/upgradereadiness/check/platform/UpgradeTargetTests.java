package io.harvester.upgradereadiness.check.platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KindStatus;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the running and target versions are found. */
class UpgradeTargetTests {

	private static final CheckOptions DEFAULTS = CheckOptions.defaults();

	@Test
	void aRequestedTargetWinsAndNamesWhoSetIt() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("v1.4.1", "")), versions("v1.5.0"));
		UpgradeTarget target = UpgradeTarget.resolve(snapshot,
				DEFAULTS.withTargetVersion(new Switch<>(" v1.6.0 ", "request parameter targetVersion")));
		assertThat(target).isEqualTo(new UpgradeTarget("v1.4.1", "v1.6.0", "request parameter targetVersion"));
		assertThat(target.targetFromVersionObject()).isFalse();
	}

	@Test
	void aBlankRequestedTargetCountsAsNone() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("v1.4.1", "")), versions("v1.5.0"));
		UpgradeTarget target = UpgradeTarget.resolve(snapshot, DEFAULTS.withTargetVersion(new Switch<>(" ", "x")));
		assertThat(target.target()).isEqualTo("v1.5.0");
	}

	@Test
	void withoutARequestTheNewestReleaseVersionObjectIsTheTarget() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("", "v1.4.1")),
				versions("v1.5.0", "v1.10.0-rc1", "v1.9.2", "v1.11-head", "f024f49a"));
		UpgradeTarget target = UpgradeTarget.resolve(snapshot, DEFAULTS);
		assertThat(target).isEqualTo(new UpgradeTarget("v1.4.1", "v1.10.0-rc1", UpgradeTarget.NEWEST_VERSION_OBJECT));
		assertThat(target.targetFromVersionObject()).isTrue();
	}

	@Test
	void aReleaseBeatsItsPrerelease() {
		ClusterSnapshot snapshot = snapshot(List.of(), versions("v1.6.0-rc3", "v1.6.0"));
		assertThat(UpgradeTarget.resolve(snapshot, DEFAULTS).target()).isEqualTo("v1.6.0");
	}

	@Test
	void whenEveryVersionObjectIsADevBuildTheGreatestNameIsTaken() {
		ClusterSnapshot snapshot = snapshot(List.of(), versions("v1.5-head", "v1.6-head", "a1b2c3d4"));
		assertThat(UpgradeTarget.resolve(snapshot, DEFAULTS).target()).isEqualTo("v1.6-head");
	}

	@Test
	void withoutVersionObjectsOrSettingsNothingIsKnown() {
		ClusterSnapshot snapshot = snapshot(List.of(), List.of());
		assertThat(UpgradeTarget.resolve(snapshot, DEFAULTS)).isEqualTo(new UpgradeTarget(null, null, null));
	}

	@Test
	void versionObjectsThatCannotBeReadGiveNoTarget() {
		ClusterSnapshot snapshot = snapshot(List.of(setting("v1.4.1", "")), null);
		assertThat(UpgradeTarget.resolve(snapshot, DEFAULTS)).isEqualTo(new UpgradeTarget("v1.4.1", null, null));
	}

	@Test
	void theVersionObjectOfATargetIsFoundByNameOrBySameVersion() {
		ClusterSnapshot snapshot = snapshot(List.of(), versions("v1.5.0", "1.6.0", "v1.7-head"));
		assertThat(UpgradeTarget.versionObject(snapshot, "v1.5.0")).map(KubeObject::name).contains("v1.5.0");
		assertThat(UpgradeTarget.versionObject(snapshot, "v1.6.0")).map(KubeObject::name).contains("1.6.0");
		assertThat(UpgradeTarget.versionObject(snapshot, "v1.7-head")).map(KubeObject::name).contains("v1.7-head");
		assertThat(UpgradeTarget.versionObject(snapshot, "1.7-head")).isEmpty();
		assertThat(UpgradeTarget.versionObject(snapshot, "v1.8.0")).isEmpty();
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
