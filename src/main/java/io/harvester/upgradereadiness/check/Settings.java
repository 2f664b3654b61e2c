package io.harvester.upgradereadiness.check;

import java.util.Optional;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Harvester settings ({@code settings.harvesterhci.io}): top-level {@code value} and {@code default}. */
public final class Settings {

	public static final String SERVER_VERSION = "server-version";

	public static final String UPGRADE_CONFIG = "upgrade-config";

	/**
	 * Reads the JSON Harvester keeps in a setting's value (or a node annotation) as Go's {@code encoding/json} does
	 * for Harvester: anything after the value is an error, not ignored. One reader for every check, so that they
	 * agree on what is valid.
	 */
	public static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private Settings() {
	}

	public static Optional<KubeObject> find(ClusterSnapshot snapshot, String name) {
		return snapshot.objects(WatchedKind.SETTINGS).stream().filter(s -> name.equals(s.name())).findFirst();
	}

	/** The effective value: {@code value} when non-empty, else {@code default}; empty when neither is set. */
	public static Optional<String> effective(ClusterSnapshot snapshot, String name) {
		return find(snapshot, name).flatMap(setting -> setting.string("value").or(() -> setting.string("default")));
	}

}
