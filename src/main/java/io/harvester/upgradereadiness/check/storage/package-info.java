/**
 * Longhorn: volume health, replicas, backing images and evictions.
 */
package io.harvester.upgradereadiness.check.storage;
