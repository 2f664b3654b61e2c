/** Publishes the report where operators' tools already look: an OpenReports {@code Report} (opt-in, live mode). */
package io.harvester.upgradereadiness.publish;
