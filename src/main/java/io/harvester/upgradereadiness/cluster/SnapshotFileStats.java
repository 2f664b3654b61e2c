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
public record SnapshotFileStats(int filesRead, int filesIgnored, int objectsRead, int objectsIgnored,
		int documentsIgnored, int duplicatesIgnored) {
}
