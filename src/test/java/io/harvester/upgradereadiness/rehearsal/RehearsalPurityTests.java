package io.harvester.upgradereadiness.rehearsal;

import java.time.Instant;

import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.support.SyntheticCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A rehearsal is a pure function of the snapshot and its input: equal snapshots, equal rehearsals. */
class RehearsalPurityTests {

	private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 3, 7, 40 })
	void equalSnapshotsGiveEqualRehearsalsAndTheMemoGivesTheSameOne(int nodes) {
		ClusterSnapshot one = SyntheticCluster.ofNodes(nodes).snapshot(NOW);
		ClusterSnapshot other = SyntheticCluster.ofNodes(nodes).snapshot(NOW.plusSeconds(60));
		for (Boolean restoreVm : new Boolean[] { null, true, false }) {
			for (String target : new String[] { null, "v1.6.1", "v1.7.0", "v1.9.0" }) {
				RehearsalInput input = RehearsalInput.of(HarvesterVersions.of(current(one), target), restoreVm);

				Rehearsal first = Rehearsals.of(one, input);

				assertThat(Rehearsals.compute(other, input)).as(nodes + " nodes, " + input).isEqualTo(first);
				assertThat(Rehearsals.compute(one, input)).isEqualTo(first);
				assertThat(Rehearsals.of(one, input)).as("memoised").isSameAs(first);
				assertThat(first.order()).hasSize(nodes);
				assertThat(first.singleNode()).isEqualTo(nodes == 1);
			}
		}
	}

	private static String current(ClusterSnapshot snapshot) {
		return HarvesterVersions.resolve(snapshot, CheckOptions.defaults()).current();
	}

}
