package io.harvester.upgradereadiness.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile's invariants, read from the file (no Docker engine here): a Maven build stage, Spring Boot's layers
 * copied into a JRE 17 image, a class-data sharing archive trained in that image, a numeric non-root user, port
 * 8080, and an exec-form entry point that runs the extracted jar with the archive.
 */
class DockerfileTests {

	/** Spring Boot's default layers, least likely to change first. */
	private static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	private static final String JAR = "upgrade-readiness.jar";

	private static final String ARCHIVE = "application.jsa";

	/** One instruction, continuation lines joined: {@code COPY --from=build /a ./}. */
	record Instruction(String keyword, String arguments) {
	}

	/** A stage: its FROM arguments and its instructions. */
	record Stage(String from, List<Instruction> instructions) {

		List<Instruction> all(String keyword) {
			return this.instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
		}

		Instruction last(String keyword) {
			List<Instruction> found = all(keyword);
			assertThat(found).as("%s in stage FROM %s", keyword, this.from).isNotEmpty();
			return found.get(found.size() - 1);
		}

		String name() {
			Matcher matcher = Pattern.compile("(?i)\\s+AS\\s+(\\S+)$").matcher(this.from);
			return matcher.find() ? matcher.group(1) : null;
		}

	}

	private static List<Stage> stages;

	@BeforeAll
	static void parse() throws IOException {
		stages = parse(Files.readString(Path.of("Dockerfile")));
	}

	@Test
	void buildsWithTheMavenWrapperOnJdk17CachingDependenciesBeforeTheSources() {
		assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
		Stage build = stages.get(0);
		assertThat(build.from()).matches("eclipse-temurin:17-jdk\\S*\\s+(?i:AS)\\s+\\S+");
		List<String> steps = build.instructions().stream().map(i -> i.keyword() + " " + i.arguments()).toList();
		int goOffline = indexOf(steps, "RUN ./mvnw -B -ntp dependency:go-offline");
		int copyPom = indexOf(steps, "COPY mvnw pom.xml");
		int copySources = indexOf(steps, "COPY src");
		int packaging = indexOf(steps, "RUN ./mvnw -B -ntp package -DskipTests");
		assertThat(copyPom).as("pom copied before go-offline").isLessThan(goOffline);
		assertThat(goOffline).as("dependencies resolved before the sources are copied").isLessThan(copySources);
		assertThat(copySources).isLessThan(packaging);
	}

	@Test
	void extractsTheJarTheBuildProducesIntoLayersWithTheJarOnTheClassPath() throws IOException {
		String extract = extractCommand();
		Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(Path.of("pom.xml")));
		assertThat(finalName.find()).isTrue();
		assertThat(extract).contains("java -Djarmode=tools -jar target/" + finalName.group(1) + ".jar extract")
			.contains("--layers")
			.as("class-data sharing needs the classes on the class path, not in JarLauncher's nested loader")
			.doesNotContain("--launcher")
			.containsPattern("--destination \\S+");
		assertThat(finalName.group(1) + ".jar").isEqualTo(JAR);
	}

	@Test
	void finalStageCopiesTheFourLayersInOrderFromTheExtractedJar() {
		Stage build = stages.get(0);
		Stage runtime = runtime();
		Matcher destination = Pattern.compile("--destination (\\S+)").matcher(extractCommand());
		assertThat(destination.find()).isTrue();
		String workdir = build.last("WORKDIR").arguments();
		String extracted = destination.group(1).startsWith("/") ? destination.group(1)
				: workdir + "/" + destination.group(1);

		List<String> copies = runtime.all("COPY").stream().map(Instruction::arguments).toList();
		assertThat(runtime.all("ADD")).isEmpty();
		List<String> expected = LAYERS.stream()
			.map(layer -> "--from=" + build.name() + " " + extracted + "/" + layer + "/ ./")
			.toList();
		assertThat(copies).containsExactlyElementsOf(expected);
	}

	/** The archive is written by the runtime image's own JVM, after the layers are in place, before the user. */
	@Test
	void finalStageTrainsAClassDataSharingArchiveOnTheExtractedJarWithoutStartingTheService() {
		Stage runtime = runtime();
		List<Instruction> instructions = runtime.instructions();
		Instruction training = runtime.all("RUN")
			.stream()
			.filter(i -> i.arguments().contains("-XX:ArchiveClassesAtExit=" + ARCHIVE))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no training run writing " + ARCHIVE));
		assertThat(training.arguments()).contains("-Dspring.context.exit=onRefresh").contains("-jar " + JAR);
		int lastCopy = instructions.indexOf(runtime.last("COPY"));
		assertThat(instructions.indexOf(training)).isGreaterThan(lastCopy)
			.isLessThan(instructions.indexOf(runtime.last("USER")));
	}

	@Test
	void finalStageIsAJre17() {
		assertThat(runtime().from()).matches("eclipse-temurin:17-jre\\S*");
	}

	@Test
	void finalStageRunsAsANumericNonRootUser() {
		Matcher user = Pattern.compile("(\\d+)(?::(\\d+))?").matcher(runtime().last("USER").arguments());
		assertThat(user.matches()).as("numeric USER uid[:gid], so that runAsNonRoot can verify it").isTrue();
		assertThat(Long.parseLong(user.group(1))).isPositive();
		if (user.group(2) != null) {
			assertThat(Long.parseLong(user.group(2))).isPositive();
		}
		int userIndex = runtime().instructions().indexOf(runtime().last("USER"));
		assertThat(runtime().instructions().subList(userIndex + 1, runtime().instructions().size()))
			.extracting(Instruction::keyword)
			.doesNotContain("USER", "RUN");
	}

	@Test
	void finalStageExposes8080() {
		assertThat(runtime().all("EXPOSE")).extracting(Instruction::arguments).containsExactly("8080");
	}

	@Test
	void entrypointIsExecFormJarWithTheArchiveContainerMemoryExitOnOutOfMemoryAndTmp() {
		String entrypoint = runtime().last("ENTRYPOINT").arguments();
		assertThat(entrypoint).as("exec form").startsWith("[").endsWith("]");
		List<String> argv = JsonMapper.builder().build().readValue(entrypoint, new TypeReference<List<String>>() {
		});
		assertThat(argv.get(0)).isEqualTo("java");
		assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("-jar", JAR);
		assertThat(argv).contains("-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError",
				"-XX:SharedArchiveFile=" + ARCHIVE, "-Djava.io.tmpdir=/tmp");
		assertThat(runtime().all("CMD")).isEmpty();
	}

	@Test
	void documentsTheProbesAndHowToRun() throws IOException {
		String dockerfile = Files.readString(Path.of("Dockerfile"));
		assertThat(dockerfile).contains("/actuator/health/liveness")
			.contains("/actuator/health/readiness")
			.contains("-e UPGRADE_READINESS_SNAPSHOT_PATH=/snapshot")
			.contains(":/snapshot:ro")
			.contains("KUBECONFIG=");
	}

	@Test
	void dockerignoreKeepsBuildOutputAndGitOutOfTheContext() throws IOException {
		List<String> patterns = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::trim)
			.filter(l -> !l.isEmpty() && !l.startsWith("#"))
			.toList();
		assertThat(patterns).contains("target/", ".git").doesNotContain("src", "src/", "pom.xml", "mvnw", ".mvn");
	}

	private static Stage runtime() {
		return stages.get(stages.size() - 1);
	}

	private static String extractCommand() {
		return stages.get(0)
			.all("RUN")
			.stream()
			.map(Instruction::arguments)
			.filter(a -> a.contains("-Djarmode=tools"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no RUN with -Djarmode=tools in the build stage"));
	}

	private static int indexOf(List<String> steps, String prefix) {
		for (int i = 0; i < steps.size(); i++) {
			if (steps.get(i).startsWith(prefix)) {
				return i;
			}
		}
		throw new AssertionError("no step starting with '" + prefix + "' in " + steps);
	}

	/** Splits a Dockerfile into stages of instructions: comments dropped, continuation lines joined. */
	static List<Stage> parse(String dockerfile) {
		List<Instruction> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : dockerfile.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
				continue;
			}
			boolean continued = trimmed.endsWith("\\");
			current.append(continued ? trimmed.substring(0, trimmed.length() - 1).strip() : trimmed).append(' ');
			if (!continued) {
				String text = current.toString().strip().replaceAll("\\s+", " ");
				current.setLength(0);
				if (!text.isEmpty()) {
					int space = text.indexOf(' ');
					instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
							text.substring(space + 1)));
				}
			}
		}
		List<Stage> result = new ArrayList<>();
		for (Instruction instruction : instructions) {
			if (instruction.keyword().equals("FROM")) {
				result.add(new Stage(instruction.arguments(), new ArrayList<>()));
			}
			else if (!result.isEmpty()) {
				result.get(result.size() - 1).instructions().add(instruction);
			}
		}
		return result;
	}

}
