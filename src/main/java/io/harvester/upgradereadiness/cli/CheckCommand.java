package io.harvester.upgradereadiness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckOptions;
import io.harvester.upgradereadiness.check.CheckRunner;
import io.harvester.upgradereadiness.check.Switch;
import io.harvester.upgradereadiness.cluster.FileSnapshotSource;
import io.harvester.upgradereadiness.cluster.InformerSnapshotSource;
import io.harvester.upgradereadiness.cluster.SnapshotProperties;
import io.harvester.upgradereadiness.cluster.SnapshotReadException;
import io.harvester.upgradereadiness.cluster.SnapshotSource;
import io.harvester.upgradereadiness.report.InvalidRequestException;
import io.harvester.upgradereadiness.report.ReadinessReport;
import io.harvester.upgradereadiness.report.ReportService;
import io.harvester.upgradereadiness.report.TextReport;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code check}: evaluates a snapshot (support bundle, kubectl dump) or a live cluster once, prints the report
 * and exits with {@code 0} READY, {@code 1} NOT_READY, {@code 2} UNKNOWN or {@code 3} bad input or usage. No web
 * server starts.
 */
public final class CheckCommand {

	public static final int READY = 0;

	public static final int NOT_READY = 1;

	public static final int UNKNOWN = 2;

	public static final int USAGE = 3;

	static final String USAGE_TEXT = """
			Usage: java -jar upgrade-readiness.jar check [options]

			Evaluates whether a Harvester cluster can be upgraded, once, and exits with the verdict.
			No web server starts.

			Where the cluster comes from (one of):
			  --snapshot PATH        a support bundle (unzipped), a kubectl get -o yaml|json dump, or a
			                         file; no API server is contacted
			  --kubeconfig PATH      the live cluster of this kubeconfig
			  (neither)              the live cluster of KUBECONFIG, ~/.kube/config or the pod's service
			                         account (in-cluster)

			Options:
			  --format FORMAT        text (default), json or junit (JUnit XML: one test case per check)
			  --checks IDS           comma-separated check ids to run (default: all)
			  --exclude IDS          comma-separated check ids to leave out
			  --target-version V     the version to evaluate the upgrade to: MAJOR.MINOR.PATCH (v and
			                         -rc2 optional) or a versions.harvesterhci.io name (default:
			                         the newest versions.harvesterhci.io object)
			  --skip-single-replica-detached-vol
			                         only single-replica volumes in use block (Harvester's annotation)
			  --skip-version-check   skip upgrade-path (harvesterhci.io/skip-version-check)
			  --skip-garbage-collection-threshold-check
			                         skip node-disk-headroom
			  --min-certs-expiration-in-day N
			                         days the API server certificates must still be valid (default 7)
			  --node-disk-headroom   live: read the kubelets' disk usage (needs nodes/proxy)
			  --timeout DURATION     live: how long to wait for the cluster to sync (default 60s)
			  --color                colour the text format
			  -h, --help             this help

			Exit codes: 0 READY, 1 NOT_READY (something blocks), 2 UNKNOWN (something could not be
			evaluated, nothing blocks), 3 bad input or usage.

			Example, on a support bundle:
			  unzip supportbundle_*.zip -d /tmp/bundle
			  java -jar upgrade-readiness.jar check --snapshot /tmp/bundle --format junit > readiness.xml
			""";

	private static final Set<String> FORMATS = Set.of("text", "json", "junit");

	private final PrintStream out;

	private final PrintStream err;

	private final Clock clock;

	public CheckCommand(PrintStream out, PrintStream err, Clock clock) {
		this.out = out;
		this.err = err;
		this.clock = clock;
	}

	/** Runs the command with the arguments after {@code check}; returns the exit code. */
	public int run(String... args) {
		Arguments arguments;
		try {
			arguments = Arguments.parse(args);
		}
		catch (UsageException ex) {
			this.err.println("error: " + ex.getMessage());
			this.err.println("Run with --help for the options.");
			return USAGE;
		}
		if (arguments.help) {
			this.out.print(USAGE_TEXT);
			return READY;
		}
		CheckCatalogue catalogue = CheckCatalogue.standard();
		List<String> unknown = new ArrayList<>(catalogue.unknownIds(arguments.checks));
		unknown.addAll(catalogue.unknownIds(arguments.exclude));
		if (!unknown.isEmpty()) {
			this.err.println("error: unknown check id(s): " + String.join(", ", unknown));
			this.err.println("valid check ids: " + String.join(", ", catalogue.ids()));
			return USAGE;
		}
		if (catalogue.select(arguments.checks, arguments.exclude).isEmpty()) {
			this.err.println("error: --checks and --exclude leave no check to run");
			return USAGE;
		}
		if (arguments.snapshot != null) {
			SnapshotSource source;
			try {
				source = FileSnapshotSource.load(arguments.snapshot, this.clock.instant());
			}
			catch (SnapshotReadException ex) {
				this.err.println("error: " + ex.getMessage());
				return USAGE;
			}
			return evaluate(source, catalogue, arguments);
		}
		return live(catalogue, arguments);
	}

	private int live(CheckCatalogue catalogue, Arguments arguments) {
		Config config;
		try {
			Config base = (arguments.kubeconfig != null)
					? Config.fromKubeconfig(Files.readString(Path.of(arguments.kubeconfig))) : Config.autoConfigure(null);
			config = new ConfigBuilder(base).withRequestRetryBackoffLimit(0)
				.withConnectionTimeout(3_000)
				.withRequestTimeout(30_000)
				.build();
		}
		catch (IOException | RuntimeException ex) {
			this.err.println("error: cannot read the kubeconfig " + (arguments.kubeconfig != null
					? arguments.kubeconfig : "(KUBECONFIG, ~/.kube/config or in-cluster)") + ": " + ex.getMessage());
			return USAGE;
		}
		SnapshotProperties properties = new SnapshotProperties(null, Duration.ofSeconds(30), Duration.ofSeconds(1),
				Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ofSeconds(60));
		try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
			InformerSnapshotSource source = new InformerSnapshotSource(client, this.clock, properties,
					arguments.nodeDiskHeadroom);
			source.start();
			try {
				Instant deadline = this.clock.instant().plus(arguments.timeout);
				while (!ready(source, arguments) && this.clock.instant().isBefore(deadline)) {
					Thread.sleep(200);
				}
				if (source.current().isEmpty()) {
					List<String> pending = source.kindStatuses()
						.stream()
						.filter(s -> !s.synced() && !s.forbidden())
						.map(s -> s.resource() + (s.message() != null ? " (" + s.message() + ")" : ""))
						.toList();
					this.err.println("error: the cluster snapshot did not sync within " + arguments.timeout.toSeconds()
							+ " s; still waiting for: " + String.join(", ", pending));
					return UNKNOWN;
				}
				return evaluate(source, catalogue, arguments);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return UNKNOWN;
			}
			finally {
				source.stop();
			}
		}
	}

	/** Synced, and the scheduled probes have run once, so that their checks are not unknown for lack of time. */
	private static boolean ready(InformerSnapshotSource source, Arguments arguments) {
		return source.current()
			.map(s -> s.apiServerCertificates().isPresent()
					&& (!arguments.nodeDiskHeadroom || s.nodeDiskUsage().isPresent()))
			.orElse(false);
	}

	private int evaluate(SnapshotSource source, CheckCatalogue catalogue, Arguments arguments) {
		ReportService service = new ReportService(source, catalogue, new CheckRunner(), this.clock,
				arguments.options(), Duration.ofSeconds(60));
		if (arguments.targetVersion != null) {
			try {
				service.requireTargetVersion("--target-version", arguments.targetVersion.trim());
			}
			catch (InvalidRequestException ex) {
				this.err.println("error: " + ex.getMessage() + ", not " + arguments.targetVersion);
				return USAGE;
			}
		}
		ReadinessReport report = service.report(arguments.checks, arguments.exclude, arguments.options());
		switch (arguments.format) {
			case "json" -> this.out.println(json().writeValueAsString(report));
			case "junit" -> this.out.print(JunitReport.render(report));
			default -> this.out.print(TextReport.render(report, arguments.color));
		}
		return switch (report.verdict()) {
			case READY -> READY;
			case NOT_READY -> NOT_READY;
			case UNKNOWN -> UNKNOWN;
		};
	}

	/** The same JSON the REST API serves: ISO dates, no nulls. */
	static JsonMapper json() {
		return JsonMapper.builder()
			.changeDefaultPropertyInclusion(
					inclusion -> inclusion.withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
			.enable(SerializationFeature.INDENT_OUTPUT)
			.build();
	}

	/** The parsed command line. */
	static final class Arguments {

		String snapshot;

		String kubeconfig;

		String format = "text";

		Set<String> checks = new LinkedHashSet<>();

		Set<String> exclude = new LinkedHashSet<>();

		String targetVersion;

		boolean skipSingleReplicaDetachedVol;

		boolean skipVersionCheck;

		boolean skipGarbageCollectionThresholdCheck;

		Integer minCertsExpirationInDay;

		boolean nodeDiskHeadroom;

		Duration timeout = Duration.ofSeconds(60);

		boolean color;

		boolean help;

		static Arguments parse(String[] args) {
			Arguments parsed = new Arguments();
			List<String> rest = new ArrayList<>(Arrays.asList(args));
			while (!rest.isEmpty()) {
				String arg = rest.remove(0);
				String value = null;
				int equals = arg.indexOf('=');
				if (arg.startsWith("--") && equals > 0) {
					value = arg.substring(equals + 1);
					arg = arg.substring(0, equals);
				}
				switch (arg) {
					case "-h", "--help" -> parsed.help = true;
					case "--snapshot" -> parsed.snapshot = value(arg, value, rest);
					case "--kubeconfig" -> parsed.kubeconfig = value(arg, value, rest);
					case "--format" -> {
						parsed.format = value(arg, value, rest).toLowerCase(Locale.ROOT);
						if (!FORMATS.contains(parsed.format)) {
							throw new UsageException("--format must be text, json or junit, not " + parsed.format);
						}
					}
					case "--checks" -> parsed.checks.addAll(ids(value(arg, value, rest)));
					case "--exclude" -> parsed.exclude.addAll(ids(value(arg, value, rest)));
					case "--target-version" -> parsed.targetVersion = value(arg, value, rest);
					case "--skip-single-replica-detached-vol" -> parsed.skipSingleReplicaDetachedVol = true;
					case "--skip-version-check" -> parsed.skipVersionCheck = true;
					case "--skip-garbage-collection-threshold-check" -> parsed.skipGarbageCollectionThresholdCheck = true;
					case "--min-certs-expiration-in-day" -> {
						String days = value(arg, value, rest);
						try {
							parsed.minCertsExpirationInDay = Integer.parseInt(days);
						}
						catch (NumberFormatException ex) {
							parsed.minCertsExpirationInDay = 0;
						}
						if (parsed.minCertsExpirationInDay <= 0) {
							throw new UsageException("--min-certs-expiration-in-day must be an integer greater than 0, not "
									+ days);
						}
					}
					case "--node-disk-headroom" -> parsed.nodeDiskHeadroom = true;
					case "--timeout" -> parsed.timeout = duration(value(arg, value, rest));
					case "--color", "--colour" -> parsed.color = true;
					default -> throw new UsageException(arg.startsWith("-") ? "unknown option " + arg
							: "unexpected argument " + arg);
				}
			}
			if (parsed.snapshot != null && parsed.kubeconfig != null) {
				throw new UsageException("--snapshot and --kubeconfig exclude each other");
			}
			return parsed;
		}

		CheckOptions options() {
			String by = "command-line option ";
			CheckOptions options = CheckOptions.defaults();
			if (this.targetVersion != null) {
				options = options.withTargetVersion(new Switch<>(this.targetVersion, by + "--target-version"));
			}
			if (this.skipSingleReplicaDetachedVol) {
				options = options.withSkipSingleReplicaDetachedVol(
						new Switch<>(true, by + "--skip-single-replica-detached-vol"));
			}
			if (this.skipVersionCheck) {
				options = options.withSkipVersionCheck(new Switch<>(true, by + "--skip-version-check"));
			}
			if (this.skipGarbageCollectionThresholdCheck) {
				options = options.withSkipGarbageCollectionThresholdCheck(
						new Switch<>(true, by + "--skip-garbage-collection-threshold-check"));
			}
			if (this.minCertsExpirationInDay != null) {
				options = options.withMinCertsExpirationInDay(
						new Switch<>(this.minCertsExpirationInDay, by + "--min-certs-expiration-in-day"));
			}
			if (this.nodeDiskHeadroom) {
				options = options.withOptIn(Set.of("node-disk-headroom"));
			}
			return options;
		}

		private static String value(String option, String inline, List<String> rest) {
			if (inline != null) {
				return inline;
			}
			if (rest.isEmpty() || rest.get(0).startsWith("--")) {
				throw new UsageException(option + " needs a value");
			}
			return rest.remove(0);
		}

		private static List<String> ids(String value) {
			return Arrays.stream(value.split(",")).map(String::trim).filter(id -> !id.isEmpty()).toList();
		}

		private static Duration duration(String value) {
			try {
				String text = value.trim().toLowerCase(Locale.ROOT);
				if (text.matches("\\d+")) {
					return Duration.ofSeconds(Long.parseLong(text));
				}
				return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
			}
			catch (DateTimeParseException ex) {
				throw new UsageException("--timeout must be a duration such as 60s or 2m, not " + value);
			}
		}

	}

	static final class UsageException extends RuntimeException {

		UsageException(String message) {
			super(message);
		}

	}

}
