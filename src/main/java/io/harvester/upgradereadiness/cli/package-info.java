/**
 * The one-shot command line: {@code java -jar upgrade-readiness.jar check ...} evaluates a snapshot or a live
 * cluster without starting a web server and answers with an exit code.
 */
package io.harvester.upgradereadiness.cli;
