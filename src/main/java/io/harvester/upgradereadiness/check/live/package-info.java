/**
 * Checks over what only a live cluster can tell, read by scheduled probes rather than informers: the kubelets'
 * disk usage, the API server certificates and the admission webhooks' serving certificates. In file mode they are
 * skipped.
 */
package io.harvester.upgradereadiness.check.live;
