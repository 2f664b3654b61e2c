package io.harvester.upgradereadiness.report;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextReportTests {

	private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

	private static final List<String> CHECKS = List.of("machines-running", "machine-node-match", "nodes-ready",
			"pods-ready", "node-disk-headroom");

	@Test
	void saysWhenAVersionBoundRuleWasAppliedWithoutAReadableVersion() {
		ReadinessReport report = report("src/test/resources/checks/vms-live-migratable/fail-cdrom-version-unknown/cluster",
				List.of("vms-live-migratable"));

		assertThat(TextReport.render(report, false)).contains("\nversion-bound rules assumed: the running version "
				+ "cannot be read (no setting server-version with a value in the snapshot): the version-bound rules are "
				+ "applied as if in force\n");
		assertThat(TextReport.render(report("src/test/resources/checks/machines-running/fail-provisioning/cluster"),
				false)).as("no finding depends on the version").doesNotContain("version-bound");
	}

	@Test
	void rendersOneAlignedLinePerCheckTheBlockingFindingsAndTheVerdict() {
		ReadinessReport report = report("src/test/resources/checks/machines-running/fail-provisioning/cluster");

		assertThat(TextReport.render(report, false)).isEqualTo("""
				Harvester upgrade readiness: NOT_READY
				snapshot file:%s, taken 2026-11-26T11:59:30Z (30 s ago)

				[-] FAIL     machines-running    Machines are Running
				              - machine fleet-local/custom-b is not running: it is in phase Provisioning
				                resources: Machine fleet-local/custom-b
				                fix: Find out why the machine is not Running: kubectl get machines.cluster.x-k8s.io -n fleet-local custom-b -o yaml (status.conditions, status.failureMessage), and compare with kubectl get nodes. A machine left over from a node that no longer exists must be deleted before upgrading.
				[-] FAIL     machine-node-match  Machines and Nodes match
				              - machine fleet-local/custom-b has empty NodeRef, check the cluster provision
				                resources: Machine fleet-local/custom-b
				                fix: The machine never got a node. If it is left over (its node was removed or never joined), delete it: kubectl delete machines.cluster.x-k8s.io -n fleet-local custom-b. Otherwise find out why its node did not join: kubectl get machines -A -o wide; kubectl get nodes.
				              - machine fleet-local/custom-b has providerID rke2://harv2, but no node carries it
				                resources: Machine fleet-local/custom-b
				                fix: No node has spec.providerID rke2://harv2. Compare kubectl get machines -A -o wide with kubectl get nodes -o custom-columns=NAME:.metadata.name,PROVIDER:.spec.providerID; delete the machine if its node no longer exists.
				[+] PASS     nodes-ready         Nodes are Ready
				[~] SKIPPED  pods-ready          needs pods: no file in the snapshot holds pods
				[~] SKIPPED  node-disk-headroom  opt-in check not enabled: set upgrade-readiness.checks.node-disk-headroom.enabled=true and grant get on nodes/proxy

				NOT_READY: 3 blocking findings, 0 warnings; 5 checks: 1 passed, 2 failed, 2 skipped, 0 errored
				""".formatted(Path.of("src/test/resources/checks/machines-running/fail-provisioning/cluster")
			.toAbsolutePath()
			.normalize()));
	}

	@Test
	void colouresOnlyWhenAsked() {
		ReadinessReport report = report("src/test/resources/checks/machines-running/pass-all-running/cluster");

		assertThat(TextReport.render(report, false)).doesNotContain("\u001B[");
		assertThat(TextReport.render(report, true)).contains("\u001B[32m[+] PASS   \u001B[0m")
			.contains("\u001B[33mUNKNOWN\u001B[0m");
	}

	private static ReadinessReport report(String dir) {
		return report(dir, CHECKS);
	}

	private static ReadinessReport report(String dir, List<String> checks) {
		FileSnapshotSource source = FileSnapshotSource.load(dir, NOW.minusSeconds(30));
		CheckCatalogue catalogue = new CheckCatalogue(checks.stream()
			.map(id -> CheckCatalogue.standard().find(id).orElseThrow())
			.toList());
		return new ReportService(source, catalogue, new CheckRunner(), Clock.fixed(NOW, ZoneOffset.UTC),
				CheckOptions.defaults(), Duration.ofSeconds(60))
			.report(Set.of(), Set.of(), CheckOptions.defaults());
	}

}
