package io.harvester.upgradereadiness.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.harvester.upgradereadiness.check.live.LiveChecks;
import io.harvester.upgradereadiness.check.machines.MachineChecks;
import io.harvester.upgradereadiness.check.nodes.NodeChecks;
import io.harvester.upgradereadiness.check.platform.PlatformChecks;
import io.harvester.upgradereadiness.check.storage.StorageChecks;
import io.harvester.upgradereadiness.check.vms.VmChecks;
import io.harvester.upgradereadiness.check.workloads.WorkloadChecks;

/** Every check the service knows, in the order reports list them. */
public final class CheckCatalogue {

	private final Map<String, Check> checks = new LinkedHashMap<>();

	public CheckCatalogue(List<Check> checks) {
		for (Check check : checks) {
			String id = check.definition().id();
			if (this.checks.putIfAbsent(id, check) != null) {
				throw new IllegalArgumentException("Duplicate check id " + id);
			}
		}
	}

	/** The standard catalogue: machines, platform, nodes, storage, VMs, workloads, then live probes. */
	public static CheckCatalogue standard() {
		List<Check> checks = new ArrayList<>();
		checks.addAll(MachineChecks.all());
		checks.addAll(PlatformChecks.all());
		checks.addAll(NodeChecks.all());
		checks.addAll(StorageChecks.all());
		checks.addAll(VmChecks.all());
		checks.addAll(WorkloadChecks.all());
		checks.addAll(LiveChecks.all());
		return new CheckCatalogue(checks);
	}

	public List<Check> all() {
		return List.copyOf(this.checks.values());
	}

	public List<String> ids() {
		return List.copyOf(this.checks.keySet());
	}

	public Optional<Check> find(String id) {
		return Optional.ofNullable(this.checks.get(id));
	}

	/**
	 * The checks to run: those named in {@code include} (all when empty) minus those in {@code exclude}, in
	 * catalogue order. Unknown ids are the caller's to refuse, see {@link #unknownIds(Collection)}.
	 */
	public List<Check> select(Collection<String> include, Collection<String> exclude) {
		List<Check> selected = new ArrayList<>();
		for (Map.Entry<String, Check> entry : this.checks.entrySet()) {
			boolean included = include.isEmpty() || include.contains(entry.getKey());
			if (included && !exclude.contains(entry.getKey())) {
				selected.add(entry.getValue());
			}
		}
		return selected;
	}

	public List<String> unknownIds(Collection<String> ids) {
		return ids.stream().filter(id -> !this.checks.containsKey(id)).distinct().toList();
	}

}
