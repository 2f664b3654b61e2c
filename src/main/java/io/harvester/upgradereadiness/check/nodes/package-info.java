/**
 * Kubernetes Nodes: readiness, schedulability, pressure, witness nodes and disk headroom.
 */
package io.harvester.upgradereadiness.check.nodes;
