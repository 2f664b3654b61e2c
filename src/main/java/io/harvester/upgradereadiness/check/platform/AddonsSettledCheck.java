package io.harvester.upgradereadiness.check.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckContext;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOutcome;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.check.Severity;
import io.harvester.upgradereadiness.cluster.ClusterSnapshot;
import io.harvester.upgradereadiness.cluster.KubeObject;
import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * Every Harvester add-on must have settled: deployed when enabled, disabled (or never processed) when not.
 * <p>
 * Harvester's webhook refuses an upgrade while an add-on is still being enabled, disabled or updated, or has
 * failed to deploy (HV-12, since v1.7.0, harvester/harvester#9644): the upgrade re-deploys add-ons and would race the
 * add-on controller. A disabled add-on passes with {@code status.status} {@code AddonDisabled} or empty (never
 * processed); an enabled one only with {@code AddonDeploySuccessful}. A missing {@code spec.enabled} counts as
 * false, as Go's zero value does. Support bundles hold only some namespaces, so over a bundle this check sees only
 * the add-ons collected.
 */
public final class AddonsSettledCheck implements Check {

	static final String DISABLED = "AddonDisabled";

	static final String DEPLOYED = "AddonDeploySuccessful";

	static final CheckDefinition DEFINITION = new CheckDefinition("addons-settled", "Add-ons settled", "platform",
			Severity.ERROR, true,
			"Every Harvester add-on (addons.harvesterhci.io, all namespaces) must have settled: an enabled add-on in "
					+ "status AddonDeploySuccessful, a disabled one in status AddonDisabled or not yet processed.",
			List.of(WatchedKind.ADDONS), "Upgrade webhook since v1.7.0 (HV-12, harvester/harvester#9644)", "v1.7.0");

	@Override
	public CheckDefinition definition() {
		return DEFINITION;
	}

	@Override
	public CheckOutcome evaluate(ClusterSnapshot snapshot, CheckContext context) {
		List<Finding> findings = new ArrayList<>();
		for (KubeObject addon : snapshot.objects(WatchedKind.ADDONS)) {
			boolean enabled = addon.bool("spec.enabled").orElse(false);
			String status = addon.string("status.status").orElse(null);
			boolean settled = enabled ? DEPLOYED.equals(status) : (status == null || DISABLED.equals(status));
			if (settled) {
				continue;
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("enabled", enabled);
			details.put("status", status);
			addon.string("spec.chart").ifPresent(chart -> details.put("chart", chart));
			addon.string("spec.version").ifPresent(version -> details.put("version", version));
			String name = addon.ref().qualifiedName();
			String shownStatus = (status != null) ? status : "(empty)";
			findings.add(Finding.of(DEFINITION, enabled ? "enabled-addon-not-settled" : "disabled-addon-not-settled",
					"addon " + name + " is " + (enabled ? "enabled" : "disabled") + " but still on status "
							+ shownStatus + ", please wait for it to be ready or fix it",
					"Wait for the add-on controller to finish. If it does not, read why: kubectl get "
							+ "addons.harvesterhci.io -n " + addon.namespace() + " " + addon.name()
							+ " -o yaml (status.conditions) and the Helm job it started in namespace "
							+ addon.namespace() + " (kubectl get jobs -n " + addon.namespace()
							+ "). Fix the cause, or toggle the add-on again from the Harvester UI "
							+ "(Advanced > Add-ons) once it has stopped changing.",
					List.of(addon.ref()), details));
		}
		return CheckOutcome.of(findings);
	}

}
