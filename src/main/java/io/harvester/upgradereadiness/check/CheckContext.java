package io.harvester.upgradereadiness.check;

import java.time.Instant;

/**
 * What a check may know besides the snapshot: the time of evaluation, whether the snapshot is live (some checks
 * only apply to a live cluster) and the request's options.
 *
 * @param now the time of evaluation
 * @param live whether the snapshot comes from a live cluster (false for files)
 * @param options Harvester's switches and the opt-in checks
 */
public record CheckContext(Instant now, boolean live, CheckOptions options) {

	public static CheckContext of(Instant now, boolean live) {
		return new CheckContext(now, live, CheckOptions.defaults());
	}

}
