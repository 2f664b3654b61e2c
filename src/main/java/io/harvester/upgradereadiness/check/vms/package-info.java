/**
 * KubeVirt virtual machines and their backups: live migration, hot-plugged volumes, backups and schedules.
 */
package io.harvester.upgradereadiness.check.vms;
