package io.harvester.upgradereadiness.system.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DecisionCacheTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));

	private final List<String> reviewed = new ArrayList<>();

	private final Function<String, AccessDecision> reviewer = token -> {
		this.reviewed.add(token);
		return token.startsWith("reader") ? AccessDecision.allowed("reader") : AccessDecision.UNAUTHENTICATED;
	};

	@Test
	void reusesADecisionWithinTheTtlAndReviewsAgainAfter() {
		DecisionCache cache = new DecisionCache(this.clock, Duration.ofSeconds(30), 10);

		cache.decide("reader-1", this.reviewer);
		this.clock.advance(Duration.ofSeconds(29));
		assertThat(cache.decide("reader-1", this.reviewer).outcome()).isEqualTo(AccessDecision.Outcome.ALLOWED);
		assertThat(this.reviewed).containsExactly("reader-1");

		this.clock.advance(Duration.ofSeconds(1));
		cache.decide("reader-1", this.reviewer);
		assertThat(this.reviewed).containsExactly("reader-1", "reader-1");
	}

	@Test
	void cachesRejectionsTooSoThatBadTokensDoNotFloodTheApiServer() {
		DecisionCache cache = new DecisionCache(this.clock, Duration.ofSeconds(30), 10);

		cache.decide("garbage", this.reviewer);
		cache.decide("garbage", this.reviewer);

		assertThat(this.reviewed).containsExactly("garbage");
	}

	@Test
	void isBoundedDroppingTheLeastRecentlyUsed() {
		DecisionCache cache = new DecisionCache(this.clock, Duration.ofSeconds(30), 2);

		cache.decide("reader-a", this.reviewer);
		cache.decide("reader-b", this.reviewer);
		cache.decide("reader-a", this.reviewer);
		cache.decide("reader-c", this.reviewer);
		assertThat(cache.size()).isEqualTo(2);

		cache.decide("reader-a", this.reviewer);
		cache.decide("reader-b", this.reviewer);
		assertThat(this.reviewed).containsExactly("reader-a", "reader-b", "reader-c", "reader-b");
	}

	@Test
	void aFailedReviewIsNotCached() {
		DecisionCache cache = new DecisionCache(this.clock, Duration.ofSeconds(30), 10);
		Function<String, AccessDecision> failing = token -> {
			this.reviewed.add(token);
			throw new ReviewUnavailableException("down", null);
		};

		assertThatExceptionOfType(ReviewUnavailableException.class).isThrownBy(() -> cache.decide("reader-x", failing));
		assertThat(cache.size()).isZero();
		assertThat(cache.decide("reader-x", this.reviewer).outcome()).isEqualTo(AccessDecision.Outcome.ALLOWED);
	}

	@Test
	void aZeroTtlReviewsEveryRequest() {
		DecisionCache cache = new DecisionCache(this.clock, Duration.ZERO, 10);

		cache.decide("reader-1", this.reviewer);
		cache.decide("reader-1", this.reviewer);

		assertThat(this.reviewed).hasSize(2);
		assertThat(cache.size()).isZero();
	}

	@Test
	void keysAreHashesNotTokens() {
		assertThat(DecisionCache.hash("reader-1")).hasSize(64).doesNotContain("reader").isEqualTo(DecisionCache.hash("reader-1"));
		assertThat(DecisionCache.hash("reader-2")).isNotEqualTo(DecisionCache.hash("reader-1"));
	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
