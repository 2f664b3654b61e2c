package io.harvester.upgradereadiness.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.harvester.upgradereadiness.check.Check;
import io.harvester.upgradereadiness.check.CheckCatalogue;
import io.harvester.upgradereadiness.check.CheckDefinition;
import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Fails when the RBAC table of docs/operations.md and the check catalogue's reads drift apart. */
class RbacDocsTests {

	private static final String SECTION = "## RBAC each check needs and why";

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)`[^|]*\\| ([^|]+) \\|", Pattern.MULTILINE);

	@Test
	void tableHasOneRowPerCheckInCatalogueOrder() throws IOException {
		assertThat(rows().keySet()).containsExactlyElementsOf(CheckCatalogue.standard().ids());
	}

	@Test
	void eachRowNamesWhatItsCheckReadsAndWhichReadsAreOptional() throws IOException {
		Map<String, String> rows = rows();
		for (Check check : CheckCatalogue.standard().all()) {
			CheckDefinition definition = check.definition();
			String resources = rows.get(definition.id());
			String required = resources.contains("(optional:")
					? resources.substring(0, resources.indexOf("(optional:")) : resources;
			String optional = resources.contains("(optional:")
					? resources.substring(resources.indexOf("(optional:")) : "";
			assertThat(backticked(required)).as(definition.id())
				.containsAll(definition.reads().stream().map(WatchedKind::resource).toList());
			assertThat(backticked(optional)).as(definition.id() + " optional")
				.containsExactlyInAnyOrderElementsOf(
						definition.optionalReads().stream().map(WatchedKind::resource).toList());
		}
	}

	private static Map<String, String> rows() throws IOException {
		String docs = Files.readString(Path.of("docs/operations.md"));
		int start = docs.indexOf(SECTION);
		assertThat(start).as(SECTION).isNotNegative();
		int end = docs.indexOf("\n## ", start + 1);
		Matcher matcher = ROW.matcher(docs.substring(start, (end < 0) ? docs.length() : end));
		Map<String, String> rows = new LinkedHashMap<>();
		while (matcher.find()) {
			rows.put(matcher.group(1), matcher.group(2));
		}
		return rows;
	}

	private static List<String> backticked(String text) {
		List<String> names = new ArrayList<>();
		Matcher matcher = Pattern.compile("`([^`]+)`").matcher(text);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

}
