package io.harvester.upgradereadiness.cluster;

import java.time.Instant;

/**
 * The outcome of a scheduled probe of the live cluster: its value, or why it could not be read.
 *
 * @param value what was read, {@code null} when the probe failed
 * @param error why the probe failed (a 403, an unreachable API server), {@code null} when it succeeded
 * @param at when the probe ran
 * @param <T> what the probe reads
 */
public record ProbeResult<T>(T value, String error, Instant at) {

	public static <T> ProbeResult<T> of(T value, Instant at) {
		return new ProbeResult<>(value, null, at);
	}

	public static <T> ProbeResult<T> failed(String error, Instant at) {
		return new ProbeResult<>(null, error, at);
	}

	public boolean succeeded() {
		return this.error == null;
	}

}
