package io.harvester.upgradereadiness.check;

import java.util.List;

import io.harvester.upgradereadiness.cluster.WatchedKind;

/**
 * What a check is, declared as data next to its logic.
 *
 * @param id the stable id, a public contract ({@code machines-running})
 * @param title a short title
 * @param category the group it belongs to ({@code machines}, {@code nodes}, ...)
 * @param severity the severity of its findings unless a finding says otherwise
 * @param blocking whether its findings block an upgrade unless a finding says otherwise
 * @param description what it checks and why
 * @param reads the kinds it needs; when one is absent the check is skipped and the verdict is unknown
 * @param harvester which Harvester component enforces the same rule, and since which version (prose)
 * @param webhookSince the first Harvester version whose Upgrade webhook refuses an upgrade on this rule, such as
 * {@code v1.5.1}; {@code null} when the webhook does not enforce it (advisory, or enforced only by the pre-check
 * script or after the upgrade started)
 * @param optionalReads kinds it reads when they are there and does without otherwise (a setting that defaults)
 */
public record CheckDefinition(String id, String title, String category, Severity severity, boolean blocking,
		String description, List<WatchedKind> reads, String harvester, String webhookSince,
		List<WatchedKind> optionalReads) {

	public CheckDefinition {
		reads = List.copyOf(reads);
		optionalReads = List.copyOf(optionalReads);
	}

	/** A check that reads only kinds it cannot do without. */
	public CheckDefinition(String id, String title, String category, Severity severity, boolean blocking,
			String description, List<WatchedKind> reads, String harvester, String webhookSince) {
		this(id, title, category, severity, blocking, description, reads, harvester, webhookSince, List.of());
	}

	/** Every kind it reads, required or optional. */
	public List<WatchedKind> allReads() {
		List<WatchedKind> all = new java.util.ArrayList<>(this.reads);
		this.optionalReads.stream().filter(k -> !all.contains(k)).forEach(all::add);
		return List.copyOf(all);
	}

}
