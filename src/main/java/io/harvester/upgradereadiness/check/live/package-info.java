/**
 * Checks over what only a live cluster can tell, read by scheduled probes rather than informers: the kubelets'
 * disk usage and the API server certificates. In file mode they are skipped.
 */
package io.harvester.upgradereadiness.check.live;
