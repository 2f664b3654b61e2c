/**
 * The check engine: checks are pure functions of a {@link io.harvester.upgradereadiness.cluster.ClusterSnapshot}
 * that return findings; the runner isolates a failing check and the catalogue lists them all.
 */
package io.harvester.upgradereadiness.check;
