/**
 * Shared wiring: the clock and the OpenAPI description.
 */
package io.harvester.upgradereadiness.system;
