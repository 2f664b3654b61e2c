/**
 * Harvester's own state: upgrades in progress, the CAPI cluster, ManagedCharts, Fleet bundles, add-ons and the upgrade path.
 */
package io.harvester.upgradereadiness.check.platform;
