/**
 * Pods and other workloads.
 */
package io.harvester.upgradereadiness.check.workloads;
