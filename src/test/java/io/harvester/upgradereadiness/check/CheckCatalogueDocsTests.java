package io.harvester.upgradereadiness.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.harvester.upgradereadiness.cluster.WatchedKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Fails when docs/checks.md and the catalogue drift apart. */
class CheckCatalogueDocsTests {

	private static final Pattern HEADING = Pattern.compile("^## `([a-z0-9-]+)`$", Pattern.MULTILINE);

	private final CheckCatalogue catalogue = CheckCatalogue.standard();

	@Test
	void docsListEveryCheckOnceInCatalogueOrder() throws IOException {
		assertThat(headings(docs())).containsExactlyElementsOf(this.catalogue.ids());
	}

	@Test
	void docsStateWhatEachCheckReadsAndWhetherItBlocks() throws IOException {
		String docs = docs();
		for (Check check : this.catalogue.all()) {
			CheckDefinition definition = check.definition();
			String section = section(docs, definition.id());
			String reads = definition.reads().isEmpty() ? "none (a live probe)" : backticked(definition.reads());
			if (!definition.optionalReads().isEmpty()) {
				reads += " (optional: " + backticked(definition.optionalReads()) + ")";
			}
			assertThat(section).as(definition.id())
				.contains("- **Title:** " + definition.title())
				.contains("**Severity:** " + definition.severity())
				.contains("**Blocking:** " + (definition.blocking() ? "yes" : "no"))
				.contains("- **Reads:** " + reads)
				.contains("- **Harvester:** " + definition.harvester());
		}
	}

	/** Every watched kind is read by some check, so the informers, RBAC and checks never drift apart. */
	@Test
	void everyWatchedKindIsReadByACheck() {
		java.util.Set<WatchedKind> read = new java.util.HashSet<>();
		this.catalogue.all().forEach(check -> read.addAll(check.definition().allReads()));
		assertThat(read).containsExactlyInAnyOrder(WatchedKind.values());
	}

	private static String backticked(List<WatchedKind> kinds) {
		return String.join(", ", kinds.stream().map(WatchedKind::resource).map(r -> "`" + r + "`").toList());
	}

	private static String docs() throws IOException {
		return Files.readString(Path.of("docs/checks.md"));
	}

	private static List<String> headings(String docs) {
		List<String> ids = new ArrayList<>();
		Matcher matcher = HEADING.matcher(docs);
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

	private static String section(String docs, String id) {
		int start = docs.indexOf("## `" + id + "`");
		int end = docs.indexOf("\n## `", start + 1);
		return docs.substring(start, (end < 0) ? docs.length() : end);
	}

}
