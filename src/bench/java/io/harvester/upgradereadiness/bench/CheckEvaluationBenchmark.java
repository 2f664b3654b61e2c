package io.harvester.upgradereadiness.bench;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckResult;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.HarvesterVersions;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.rehearsal.Rehearsal;
import io.harvester.upgradereadiness.rehearsal.RehearsalInput;
import io.harvester.upgradereadiness.rehearsal.Rehearsals;
import io.harvester.upgradereadiness.support.SyntheticCluster;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Every check of the standard catalogue, through the {@link CheckRunner} as the report service runs them, over a
 * synthetic Harvester cluster of {@link #nodes} nodes (see {@link SyntheticCluster}). One operation is one
 * evaluation of all checks: what a report costs when the snapshot changed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CheckEvaluationBenchmark {

	static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

	@Param({ "500", "1000", "5000", "10000" })
	public int nodes;

	private ClusterSnapshot snapshot;

	private List<Check> checks;

	private CheckRunner runner;

	private CheckContext context;

	private RehearsalInput input;

	@Setup(Level.Trial)
	public void generate() {
		this.snapshot = SyntheticCluster.ofNodes(this.nodes).snapshot(NOW);
		this.checks = CheckCatalogue.standard().all();
		this.runner = new CheckRunner();
		this.input = RehearsalInput.of(HarvesterVersions.resolve(this.snapshot, CheckOptions.defaults()), null);
		this.context = CheckContext.forSnapshot(this.snapshot, NOW, io.harvester.upgradereadiness.check.CheckOptions.defaults());
	}

	/**
	 * Every check once. The drain-capacity check's rehearsal is memoised per snapshot (as the report's results
	 * are), so after the first invocation this measures the other checks and a memo hit; {@link #rehearsal()}
	 * measures the rehearsal itself.
	 */
	@Benchmark
	public List<CheckResult> allChecks() {
		return this.runner.run(this.snapshot, this.checks, this.context);
	}

	/** One drain rehearsal of the whole cluster, without the memo: what a changed snapshot costs it. */
	@Benchmark
	public Rehearsal rehearsal() {
		return Rehearsals.compute(this.snapshot, this.input);
	}

}
