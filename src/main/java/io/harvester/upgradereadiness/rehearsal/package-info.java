/**
 * The drain rehearsal: a model of nodes, VMs and free capacity, an emulation of the scheduler's filters and
 * scoring, and a replay of Harvester's node-by-node upgrade order. Pure functions of the snapshot; nothing here
 * knows of HTTP or findings.
 */
package io.harvester.upgradereadiness.rehearsal;
