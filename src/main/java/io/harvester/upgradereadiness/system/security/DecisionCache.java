package io.harvester.upgradereadiness.system.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Access decisions per token for a short time, so that a page refreshing every few seconds does not review its token
 * with the API server at each request. Keys are SHA-256 hashes of the tokens: no token is kept. At most
 * {@code size} entries, the least recently used going first; failed reviews are never kept.
 */
final class DecisionCache {

	private final Clock clock;

	private final Duration ttl;

	private final Map<String, Entry> entries;

	DecisionCache(Clock clock, Duration ttl, int size) {
		this.clock = clock;
		this.ttl = ttl;
		this.entries = new LinkedHashMap<>(16, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
				return size() > size;
			}

		};
	}

	/**
	 * The cached decision for the token, or the reviewer's, which is then cached.
	 * @throws ReviewUnavailableException from the reviewer; nothing is cached then
	 */
	AccessDecision decide(String token, Function<String, AccessDecision> reviewer) {
		if (this.ttl.isZero()) {
			return reviewer.apply(token);
		}
		String key = hash(token);
		Instant now = this.clock.instant();
		synchronized (this.entries) {
			Entry entry = this.entries.get(key);
			if (entry != null && now.isBefore(entry.expiresAt())) {
				return entry.decision();
			}
		}
		AccessDecision decision = reviewer.apply(token);
		synchronized (this.entries) {
			this.entries.put(key, new Entry(decision, now.plus(this.ttl)));
		}
		return decision;
	}

	int size() {
		synchronized (this.entries) {
			return this.entries.size();
		}
	}

	static String hash(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every JVM", ex);
		}
	}

	private record Entry(AccessDecision decision, Instant expiresAt) {
	}

}
