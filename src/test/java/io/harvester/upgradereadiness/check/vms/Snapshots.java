package io.harvester.upgradereadiness.check.vms;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.SnapshotFileReader;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/** Builds snapshots and objects from YAML text for the unit tests of this package. */
final class Snapshots {

	private Snapshots() {
	}

	/** A snapshot of one multi-document YAML text. */
	static ClusterSnapshot of(String yaml) {
		SnapshotFileReader.SnapshotFile file = new SnapshotFileReader.SnapshotFile() {

			@Override
			public String relativePath() {
				return "objects.yaml";
			}

			@Override
			public String displayName() {
				return "objects.yaml";
			}

			@Override
			public InputStream open() {
				return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
			}

		};
		return new SnapshotFileReader().read(List.of(file), "test", Instant.EPOCH);
	}

	/** The only object of a kind in a YAML text. */
	static KubeObject single(WatchedKind kind, String yaml) {
		List<KubeObject> objects = of(yaml).objects(kind);
		if (objects.size() != 1) {
			throw new IllegalArgumentException("expected one " + kind.kind() + ", got " + objects.size());
		}
		return objects.get(0);
	}

}
