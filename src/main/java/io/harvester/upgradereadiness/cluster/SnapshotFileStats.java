package io.harvester.upgradereadiness.cluster;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What a file snapshot was read from, and what in it was ignored.
 *
 * @param filesRead YAML and JSON files parsed
 * @param filesIgnored other files (logs, zips, ...) that were not parsed
 * @param objectsRead objects of the watched kinds that the snapshot holds
 * @param objectsIgnored Kubernetes objects of kinds no check reads
 * @param documentsIgnored YAML documents that are not Kubernetes objects (no apiVersion or kind)
 * @param duplicatesIgnored objects found more than once (the first one read is kept)
 */
@Schema(description = "Counts of what a file snapshot held and what was ignored.")
public record SnapshotFileStats(
		@Schema(description = "YAML and JSON files parsed.", example = "18") int filesRead,
		@Schema(description = "Other files (logs, zips) that were not parsed.", example = "0") int filesIgnored,
		@Schema(description = "Objects of the watched kinds that the snapshot holds.", example = "162") int objectsRead,
		@Schema(description = "Kubernetes objects of kinds no check reads.", example = "0") int objectsIgnored,
		@Schema(description = "YAML documents that are not Kubernetes objects.", example = "0") int documentsIgnored,
		@Schema(description = "Objects found more than once; the first one read is kept.",
				example = "0") int duplicatesIgnored) {
}
