/**
 * The cluster as the checks see it: an immutable {@link io.harvester.upgradereadiness.cluster.ClusterSnapshot},
 * and the only code that talks to the Kubernetes API server or reads snapshot files.
 */
package io.harvester.upgradereadiness.cluster;
