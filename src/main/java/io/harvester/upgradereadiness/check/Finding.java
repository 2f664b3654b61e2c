package io.harvester.upgradereadiness.check;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One problem found by a check.
 *
 * @param id stable across calls for the same problem on the same resources
 * @param checkId the check that found it
 * @param rule which rule of the check it breaks, stable ({@code orphan-machine})
 * @param severity how serious it is
 * @param blocking whether it blocks the upgrade
 * @param message what is wrong, in Harvester's wording where Harvester has one
 * @param remediation how to fix it
 * @param resources every object involved
 * @param details facts behind the finding (counts, phases, values)
 * @param acknowledged set by the report (never by a check) when an operator's acknowledgement rule matches it:
 * the finding stays in the report and no longer counts toward the verdict
 */
@Schema(description = "One problem found by a check.")
public record Finding(
		@Schema(description = "Stable across calls for the same problem on the same resources.",
				example = "machine-node-match/provider-id-without-node/5b0c53f1a2e4") String id,
		@Schema(description = "The check that found it.", example = "machine-node-match") String checkId,
		@Schema(description = "Which rule of the check it breaks; stable.",
				example = "provider-id-without-node") String rule,
		@Schema(description = "How serious it is.") Severity severity,
		@Schema(description = "Whether it blocks the upgrade.") boolean blocking,
		@Schema(description = "What is wrong, in Harvester's wording where Harvester has one.",
				example = "machine fleet-local/custom-4d279419a084 has providerID rke2://harv44, but no node carries it") String message,
		@Schema(description = "How to fix it.") String remediation,
		@Schema(description = "Every object involved.") List<ResourceRef> resources,
		@Schema(description = "Facts behind the finding: counts, phases, values.") Map<String, Object> details,
		@Schema(description = "Present when an acknowledgement rule of the configuration matches this finding: it "
				+ "stays in the report but does not count toward the verdict (even when blocking is true).",
				nullable = true) Acknowledgement acknowledged) {

	public Finding {
		resources = List.copyOf(resources);
		details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

	/** A finding as a check reports it: not acknowledged. */
	public Finding(String id, String checkId, String rule, Severity severity, boolean blocking, String message,
			String remediation, List<ResourceRef> resources, Map<String, Object> details) {
		this(id, checkId, rule, severity, blocking, message, remediation, resources, details, null);
	}

	/** This finding marked as acknowledged by an operator's rule. */
	public Finding acknowledge(Acknowledgement acknowledgement) {
		return new Finding(this.id, this.checkId, this.rule, this.severity, this.blocking, this.message,
				this.remediation, this.resources, this.details, acknowledgement);
	}

	/** Whether it keeps the verdict from READY: blocking and not acknowledged. */
	public boolean blocksVerdict() {
		return this.blocking && this.acknowledged == null;
	}

	/**
	 * An operator's acknowledgement of a known finding.
	 *
	 * @param reason why it is accepted, as the rule says
	 * @param expires the last day the rule applies, absent when it does not expire
	 * @param rule which rule matched: {@code upgrade-readiness.acknowledgements[0]}
	 */
	@Schema(name = "Acknowledgement", description = "An operator's acknowledgement of a known finding.")
	public record Acknowledgement(
			@Schema(description = "Why the finding is accepted, as the rule says.",
					example = "kept attached on purpose for the nightly export (OPS-1234)") String reason,
			@Schema(description = "The last day (UTC) the rule applies; absent when it does not expire.",
					example = "2026-12-31", nullable = true) java.time.LocalDate expires,
			@Schema(description = "The configuration rule that matched.",
					example = "upgrade-readiness.acknowledgements[0]") String rule) {
	}

	/** A finding with the check's default severity and blocking flag. */
	public static Finding of(CheckDefinition check, String rule, String message, String remediation,
			List<ResourceRef> resources, Map<String, Object> details) {
		return of(check, rule, check.severity(), check.blocking(), message, remediation, resources, details);
	}

	public static Finding of(CheckDefinition check, String rule, Severity severity, boolean blocking, String message,
			String remediation, List<ResourceRef> resources, Map<String, Object> details) {
		return new Finding(stableId(check.id(), rule, resources), check.id(), rule, severity, blocking, message,
				remediation, resources, details);
	}

	static String stableId(String checkId, String rule, List<ResourceRef> resources) {
		StringBuilder key = new StringBuilder();
		for (ResourceRef ref : resources) {
			key.append(ref.apiVersion()).append('|').append(ref.kind()).append('|').append(ref.qualifiedName()).append(';');
		}
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
			return checkId + "/" + rule + "/" + HexFormat.of().formatHex(hash, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

}
