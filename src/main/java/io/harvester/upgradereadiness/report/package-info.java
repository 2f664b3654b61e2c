/**
 * The answer: report assembly (memoised per snapshot version), the REST API, the upgrade health indicator and
 * the problem responses.
 */
package io.harvester.upgradereadiness.report;
