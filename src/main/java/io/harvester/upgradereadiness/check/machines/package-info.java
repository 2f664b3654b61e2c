/**
 * Cluster API Machines and their Nodes: the consistency Harvester verifies before it starts an upgrade.
 */
package io.harvester.upgradereadiness.check.machines;
