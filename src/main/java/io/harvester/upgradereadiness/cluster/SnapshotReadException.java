package io.harvester.upgradereadiness.cluster;

/**
 * A snapshot file or directory cannot be read. The message names the file (and the line where the parser knows
 * it); the service refuses to serve a report over a partial snapshot.
 */
public class SnapshotReadException extends RuntimeException {

	public SnapshotReadException(String message) {
		super(message);
	}

	public SnapshotReadException(String message, Throwable cause) {
		super(message, cause);
	}

}
