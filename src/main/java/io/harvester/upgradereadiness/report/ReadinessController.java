package io.harvester.upgradereadiness.report;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST API: the readiness report and the check catalogue. */
@RestController
@RequestMapping(path = "/api/v1")
@Tag(name = "upgrade-readiness", description = "Can this Harvester cluster be upgraded now?")
class ReadinessController {

	private static final Set<String> REPORT_PARAMETERS = Set.of("checks", "exclude", "targetVersion",
			"skipSingleReplicaDetachedVol", "skipGarbageCollectionThresholdCheck", "minCertsExpirationInDay",
			"skipVersionCheck", "format", "color");

	private static final Set<String> REHEARSAL_PARAMETERS = Set.of("targetVersion", "restoreVM");

	private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

	private static final String BY_PARAMETER = "request parameter ";

	/** Longest accepted parameter name, value, or check id in a list. */
	static final int MAX_VALUE_LENGTH = 64;

	/** Most values a request may carry, all parameters together, and most check ids in one list parameter. */
	static final int MAX_VALUES = 64;

	private static final Set<String> LIST_PARAMETERS = Set.of("checks", "exclude");

	private final ReportService reports;

	ReadinessController(ReportService reports) {
		this.reports = reports;
	}

	@GetMapping(path = "/upgrade-readiness",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE })
	@Operation(summary = "Evaluate upgrade readiness",
			description = "Runs the checks over the cached cluster snapshot (no API server call) and returns every "
					+ "finding at once, with the verdict. JSON by default (also for Accept: */*); a compact text "
					+ "report for Accept: text/plain or format=text.")
	@ApiResponse(responseCode = "200", description = "The report.",
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = ReadinessReport.class)),
					@Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string",
							description = "One line per check ([+] PASS, [-] FAIL, [~] SKIPPED, [!] ERROR), the "
									+ "blocking findings under their check, and the verdict with the counts.")) })
	@ApiResponse(responseCode = "400",
			description = "Unknown query parameter or check id (lists the valid ones), a selection (checks, exclude) "
					+ "that leaves no check, a targetVersion that is neither a Harvester version (MAJOR.MINOR.PATCH, "
					+ "optional leading v and pre-release) nor the name of a versions.harvesterhci.io object, a value "
					+ "out of range, or a request over the limits: names and values (each check id) at most 64 "
					+ "characters, at most 64 values in all.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401",
			description = "Only with upgrade-readiness.security.mode=kubernetes: no bearer token, or one the API server "
					+ "does not accept (WWW-Authenticate: Bearer).",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403",
			description = "Only with upgrade-readiness.security.mode=kubernetes: the token's user may not get the "
					+ "non-resource URL /api/v1/upgrade-readiness; missingRule names the RBAC rule to grant.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503",
			description = "No snapshot yet (informers still syncing); names the kinds still pending. With "
					+ "security.mode=kubernetes also when the API server cannot review the token. Retry after the "
					+ "Retry-After header.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<?> readiness(
			@Parameter(description = "Comma-separated check ids to run (default: all).",
					example = "machines-running,machine-node-match") @RequestParam(required = false) List<String> checks,
			@Parameter(description = "Comma-separated check ids to leave out.",
					example = "machine-node-match") @RequestParam(required = false) List<String> exclude,
			@Parameter(description = "The Harvester version to evaluate an upgrade to: MAJOR.MINOR.PATCH (optional "
					+ "leading v and pre-release such as -rc2), or the name of a versions.harvesterhci.io object (a "
					+ "dev build); anything else is a 400. Default: the configured target, else the newest "
					+ "versions.harvesterhci.io object.",
					example = "v1.5.1") @RequestParam(required = false) String targetVersion,
			@Parameter(description = "As Harvester's Upgrade annotation harvesterhci.io/skipSingleReplicaDetachedVol: "
					+ "only single-replica volumes that are in use block.",
					schema = @Schema(type = "boolean")) @RequestParam(required = false) String skipSingleReplicaDetachedVol,
			@Parameter(description = "As harvesterhci.io/skipGarbageCollectionThresholdCheck: skip node-disk-headroom.",
					schema = @Schema(type = "boolean")) @RequestParam(required = false) String skipGarbageCollectionThresholdCheck,
			@Parameter(description = "As harvesterhci.io/minCertsExpirationInDay: days the API server certificates "
					+ "must still be valid (default 7).",
					schema = @Schema(type = "integer", minimum = "1")) @RequestParam(required = false) String minCertsExpirationInDay,
			@Parameter(description = "As harvesterhci.io/skip-version-check: skip upgrade-path.",
					schema = @Schema(type = "boolean")) @RequestParam(required = false) String skipVersionCheck,
			@Parameter(description = "text or json; overrides the Accept header (for browsers and shells that "
					+ "cannot set it).", schema = @Schema(allowableValues = { "text", "json" })) @RequestParam(
							required = false) String format,
			@Parameter(description = "For the text format: colour it with ANSI escapes.",
					schema = @Schema(type = "boolean")) @RequestParam(required = false) String color,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
			HttpServletRequest request) {
		enforceLimits(request.getParameterMap());
		rejectUnknownParameters(request.getParameterMap(), REPORT_PARAMETERS);
		Set<String> include = checkIds("checks", checks);
		Set<String> excluded = checkIds("exclude", exclude);
		this.reports.requireSelection(include, excluded);
		CheckOptions options = this.reports.defaults();
		if (targetVersion != null) {
			String target = text("targetVersion", targetVersion);
			this.reports.requireTargetVersion("targetVersion", target);
			options = options.withTargetVersion(new Switch<>(target, BY_PARAMETER + "targetVersion"));
		}
		if (skipSingleReplicaDetachedVol != null) {
			options = options.withSkipSingleReplicaDetachedVol(new Switch<>(
					bool("skipSingleReplicaDetachedVol", skipSingleReplicaDetachedVol),
					BY_PARAMETER + "skipSingleReplicaDetachedVol"));
		}
		if (skipGarbageCollectionThresholdCheck != null) {
			options = options.withSkipGarbageCollectionThresholdCheck(new Switch<>(
					bool("skipGarbageCollectionThresholdCheck", skipGarbageCollectionThresholdCheck),
					BY_PARAMETER + "skipGarbageCollectionThresholdCheck"));
		}
		if (minCertsExpirationInDay != null) {
			options = options.withMinCertsExpirationInDay(new Switch<>(
					positiveInt("minCertsExpirationInDay", minCertsExpirationInDay),
					BY_PARAMETER + "minCertsExpirationInDay"));
		}
		if (skipVersionCheck != null) {
			options = options.withSkipVersionCheck(
					new Switch<>(bool("skipVersionCheck", skipVersionCheck), BY_PARAMETER + "skipVersionCheck"));
		}
		boolean text = wantsText(format, accept);
		boolean colour = (color != null) && bool("color", color);
		// The bodies are memoised by the service (per snapshot version, selection and second): a request on an
		// unchanged snapshot copies bytes, it neither runs a check nor serialises a finding.
		if (text) {
			return ResponseEntity.ok().contentType(TEXT).body(this.reports.text(include, excluded, options, colour));
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.body(this.reports.json(include, excluded, options));
	}

	@GetMapping(path = "/upgrade-rehearsal",
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE })
	@Operation(summary = "Rehearse the upgrade's node-by-node drain",
			description = "Replays the upgrade over the cached snapshot (no API server call): the nodes in Rancher's "
					+ "order (init node, etcd, control-plane, workers, each by CAPI Machine name), and at each node "
					+ "where its running VMs would live-migrate, as the scheduler places their migration target pods "
					+ "(filters, then least-allocated spread), with what a drain leaves carried to the next step. VMs "
					+ "that fit nowhere are named with every node's reason; the drain-capacity check reports the same "
					+ "rehearsal. JSON by default; a text rendering for Accept: text/plain.")
	@ApiResponse(responseCode = "200", description = "The rehearsal.",
			content = { @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = UpgradeRehearsal.class)),
					@Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string",
							description = "The verdict, then one block per node in upgrade order (-> placed, !! not "
									+ "placed with every node's reason, xx never migrates), then the limits.")) })
	@ApiResponse(responseCode = "400",
			description = "A query parameter other than targetVersion and restoreVM, a restoreVM other than true or "
					+ "false, or a request over the limits.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401",
			description = "Only with upgrade-readiness.security.mode=kubernetes: no bearer token, or one the API server "
					+ "does not accept (WWW-Authenticate: Bearer).",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403",
			description = "Only with upgrade-readiness.security.mode=kubernetes: the token's user may not get the "
					+ "non-resource URL; missingRule names the RBAC rule to grant.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "503",
			description = "No snapshot yet (informers still syncing); names the kinds still pending. Retry after the "
					+ "Retry-After header.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	ResponseEntity<?> rehearsal(
			@Parameter(description = "The Harvester version to rehearse an upgrade to, as for the report: it decides "
					+ "what happens to a VM that fits nowhere (v1.7.0+: shut down; earlier: the upgrade stalls).",
					example = "v1.7.0") @RequestParam(required = false) String targetVersion,
			@Parameter(description = "Rehearse as if upgrade-config said restoreVM: true or false (default: the "
					+ "setting's).", schema = @Schema(type = "boolean")) @RequestParam(
							required = false) String restoreVM,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
			HttpServletRequest request) {
		enforceLimits(request.getParameterMap());
		rejectUnknownParameters(request.getParameterMap(), REHEARSAL_PARAMETERS);
		CheckOptions options = this.reports.defaults();
		if (targetVersion != null) {
			options = options.withTargetVersion(
					new Switch<>(text("targetVersion", targetVersion), BY_PARAMETER + "targetVersion"));
		}
		Boolean restore = null;
		if (restoreVM != null) {
			String value = restoreVM.trim();
			if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
				throw new InvalidRequestException("'restoreVM' must be true or false",
						Map.of("parameter", "restoreVM", "validValues", List.of("true", "false")));
			}
			restore = Boolean.parseBoolean(value.toLowerCase(java.util.Locale.ROOT));
		}
		UpgradeRehearsal rehearsal = this.reports.rehearsal(options, restore);
		if (wantsText(null, accept)) {
			return ResponseEntity.ok().contentType(TEXT).body(RehearsalText.render(rehearsal));
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(rehearsal);
	}

	/** Text when asked with format=text, or when Accept prefers text/plain to JSON; JSON otherwise. */
	private static boolean wantsText(String format, String accept) {
		if (format != null) {
			String value = format.trim().toLowerCase(java.util.Locale.ROOT);
			if (value.equals("text")) {
				return true;
			}
			if (value.equals("json")) {
				return false;
			}
			throw new InvalidRequestException("'format' must be text or json",
					Map.of("parameter", "format", "validValues", List.of("text", "json")));
		}
		if (accept == null || accept.isBlank()) {
			return false;
		}
		List<MediaType> accepted;
		try {
			accepted = MediaType.parseMediaTypes(accept);
		}
		catch (org.springframework.http.InvalidMediaTypeException ex) {
			return false;
		}
		accepted = new java.util.ArrayList<>(accepted);
		accepted.sort(java.util.Comparator.comparingDouble(MediaType::getQualityValue).reversed());
		for (MediaType type : accepted) {
			if (type.isWildcardType() || MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
				return false;
			}
			if (MediaType.TEXT_PLAIN.isCompatibleWith(type)) {
				return true;
			}
		}
		return false;
	}

	@GetMapping(path = "/checks", produces = MediaType.APPLICATION_JSON_VALUE)
	@ApiResponse(responseCode = "200", description = "The catalogue.")
	@ApiResponse(responseCode = "400", description = "A query parameter (this endpoint takes none), or over the limits.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "401",
			description = "Only with upgrade-readiness.security.mode=kubernetes: no bearer token, or one the API server "
					+ "does not accept (WWW-Authenticate: Bearer).",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@ApiResponse(responseCode = "403",
			description = "Only with upgrade-readiness.security.mode=kubernetes: the token's user may not get the "
					+ "non-resource URL /api/v1/upgrade-readiness; missingRule names the RBAC rule to grant.",
			content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
					schema = @Schema(implementation = ProblemDetail.class)))
	@Operation(summary = "List the check catalogue",
			description = "Every check the service knows: id, title, category, default severity, whether it "
					+ "blocks, what it reads and which Harvester version enforces the same rule.")
	List<CheckInfo> checks(HttpServletRequest request) {
		enforceLimits(request.getParameterMap());
		rejectUnknownParameters(request.getParameterMap(), Set.of());
		return this.reports.catalogue().all().stream().map(check -> CheckInfo.of(check.definition())).toList();
	}

	private Set<String> checkIds(String parameter, List<String> values) {
		if (values == null) {
			return Set.of();
		}
		Set<String> ids = new LinkedHashSet<>();
		for (String value : values) {
			Arrays.stream(value.split(",")).map(String::trim).filter(id -> !id.isEmpty()).forEach(ids::add);
		}
		List<String> unknown = this.reports.catalogue().unknownIds(ids);
		if (!unknown.isEmpty()) {
			throw new InvalidRequestException(
					"Unknown check id(s) in '" + parameter + "': " + String.join(", ", unknown),
					Map.of("parameter", parameter, "unknown", unknown, "validChecks", this.reports.catalogue().ids()));
		}
		return ids;
	}

	private static String text(String parameter, String value) {
		String trimmed = value.trim();
		if (trimmed.isEmpty() || trimmed.length() > MAX_VALUE_LENGTH) {
			throw new InvalidRequestException(
					"'" + parameter + "' must be 1 to " + MAX_VALUE_LENGTH + " characters long",
					Map.of("parameter", parameter));
		}
		return trimmed;
	}

	private static boolean bool(String parameter, String value) {
		String trimmed = value.trim();
		if (trimmed.equalsIgnoreCase("true") || trimmed.isEmpty()) {
			return true;
		}
		if (trimmed.equalsIgnoreCase("false")) {
			return false;
		}
		throw new InvalidRequestException("'" + parameter + "' must be true or false",
				Map.of("parameter", parameter, "validValues", List.of("true", "false")));
	}

	private static int positiveInt(String parameter, String value) {
		try {
			int days = Integer.parseInt(value.trim());
			if (days > 0) {
				return days;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw new InvalidRequestException("'" + parameter + "' must be an integer greater than 0",
				Map.of("parameter", parameter));
	}

	/**
	 * Refuses requests over the limits before anything is echoed or looked up: names and values (each id of a list
	 * parameter) at most {@value #MAX_VALUE_LENGTH} characters, at most {@value #MAX_VALUES} values in all and ids
	 * per list parameter. Nothing of the refused input is repeated in the answer.
	 */
	static void enforceLimits(Map<String, String[]> parameters) {
		int values = 0;
		for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
			String name = parameter.getKey();
			if (name.length() > MAX_VALUE_LENGTH) {
				throw new InvalidRequestException(
						"A query parameter name is longer than " + MAX_VALUE_LENGTH + " characters",
						Map.of("limit", MAX_VALUE_LENGTH));
			}
			String[] given = (parameter.getValue() != null) ? parameter.getValue() : new String[0];
			values += Math.max(1, given.length);
			boolean list = LIST_PARAMETERS.contains(name);
			int items = 0;
			for (String value : given) {
				List<String> parts = list ? Arrays.asList(value.split(",", -1)) : List.of(value);
				items += parts.size();
				if (parts.stream().anyMatch(part -> part.trim().length() > MAX_VALUE_LENGTH)) {
					throw new InvalidRequestException("A value of '" + name + "' is longer than " + MAX_VALUE_LENGTH
							+ " characters", Map.of("parameter", name, "limit", MAX_VALUE_LENGTH));
				}
			}
			if (list && items > MAX_VALUES) {
				throw new InvalidRequestException("'" + name + "' names more than " + MAX_VALUES + " check ids",
						Map.of("parameter", name, "limit", MAX_VALUES));
			}
		}
		if (values > MAX_VALUES) {
			throw new InvalidRequestException("The request has more than " + MAX_VALUES + " query parameter values",
					Map.of("limit", MAX_VALUES));
		}
	}

	private static void rejectUnknownParameters(Map<String, String[]> parameters, Set<String> allowed) {
		Set<String> unknown = new TreeSet<>(parameters.keySet());
		unknown.removeAll(allowed);
		if (!unknown.isEmpty()) {
			throw new InvalidRequestException("Unknown query parameter(s): " + String.join(", ", unknown),
					Map.of("unknown", List.copyOf(unknown), "validParameters", new TreeSet<>(allowed)));
		}
	}

	/**
	 * One catalogue entry.
	 *
	 * @param id the stable check id
	 * @param title a short title
	 * @param category its category
	 * @param severity default severity of its findings
	 * @param blocking whether its findings block the upgrade by default
	 * @param description what it checks and why
	 * @param reads the resources it reads
	 * @param harvester which Harvester component enforces the same rule, since which version
	 * @param webhookSince the first Harvester version whose webhook refuses an upgrade on it, if any
	 * @param optionalReads the resources it reads when they are there
	 */
	@Schema(description = "One check of the catalogue.")
	record CheckInfo(@Schema(example = "machines-running") String id,
			@Schema(example = "Machines are Running") String title, @Schema(example = "machines") String category,
			@Schema(description = "Default severity of its findings.") io.harvester.upgradereadiness.check.Severity severity,
			@Schema(description = "Whether its findings block the upgrade by default.") boolean blocking,
			String description,
			@Schema(description = "Resources it reads, as RBAC names them.",
					example = "[\"machines.cluster.x-k8s.io\"]") List<String> reads,
			@Schema(description = "Which Harvester component enforces the same rule, and since which version.") String harvester,
			@Schema(description = "The first Harvester version whose Upgrade webhook refuses an upgrade on this rule; "
					+ "absent when the webhook does not enforce it (advisory).", example = "v1.5.1",
					nullable = true) String webhookSince,
			@Schema(description = "Resources it reads when they are there and does without otherwise.") List<String> optionalReads) {

		static CheckInfo of(CheckDefinition definition) {
			return new CheckInfo(definition.id(), definition.title(), definition.category(), definition.severity(),
					definition.blocking(), definition.description(),
					definition.reads().stream().map(WatchedKind::resource).toList(), definition.harvester(),
					definition.webhookSince(),
					definition.optionalReads().stream().map(WatchedKind::resource).toList());
		}

	}

}
