package io.harvester.upgradereadiness.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Harvester version as Harvester's version guard reads it ({@code harvester/go-common}, package {@code version}):
 * one leading lowercase {@code v} is dropped and the rest must be a strict semantic version
 * ({@code MAJOR.MINOR.PATCH}, an optional {@code -prerelease} and {@code +build}, no leading zeros). Anything else
 * ({@code v1.2-head}, {@code f024f49a}, {@code V1.2.3}) is a <em>dev</em> version: Harvester compares dev versions
 * only for exact equality of the raw strings ({@code incomparable: dev version} otherwise).
 * <p>
 * Non-dev versions are ordered by semantic-version precedence: build metadata is ignored, a prerelease sorts before
 * its release ({@code v1.2.2-rc1 < v1.2.2}), prerelease identifiers compare numerically when both are numeric and
 * in ASCII order otherwise ({@code rc10 < rc2}, as in Masterminds semver, which Harvester uses).
 */
public final class HarvesterVersion {

	private static final String NUMBER = "0|[1-9][0-9]*";

	private static final String PRERELEASE_ID = "(?:" + NUMBER + "|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";

	private static final Pattern STRICT = Pattern.compile("(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")"
			+ "(?:-(" + PRERELEASE_ID + "(?:\\." + PRERELEASE_ID + ")*))?"
			+ "(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

	private final String raw;

	private final long[] core;

	private final List<String> prerelease;

	private HarvesterVersion(String raw, long[] core, List<String> prerelease) {
		this.raw = raw;
		this.core = core;
		this.prerelease = prerelease;
	}

	/** Whether Harvester accepts the string as a version at all: anything but empty or a lone {@code v}. */
	public static boolean isValid(String raw) {
		return raw != null && !raw.isEmpty() && !raw.equals("v");
	}

	/**
	 * Reads a version string.
	 * @param raw the version as written, such as {@code v1.4.1}, {@code v1.5.0-rc2} or {@code v1.2-head}
	 * @throws IllegalArgumentException when the string is empty (after the {@code v}), which Harvester refuses
	 */
	public static HarvesterVersion parse(String raw) {
		if (!isValid(raw)) {
			throw new IllegalArgumentException("invalid version string '" + raw + "'");
		}
		Matcher matcher = STRICT.matcher(raw.startsWith("v") ? raw.substring(1) : raw);
		if (!matcher.matches()) {
			return new HarvesterVersion(raw, null, List.of());
		}
		try {
			long[] core = { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
					Long.parseLong(matcher.group(3)) };
			List<String> prerelease = (matcher.group(4) != null) ? List.of(matcher.group(4).split("\\."))
					: List.of();
			return new HarvesterVersion(raw, core, prerelease);
		}
		catch (NumberFormatException ex) {
			// a part beyond 64 bits: Harvester's parser refuses it too, so it is a dev version
			return new HarvesterVersion(raw, null, List.of());
		}
	}

	/** The string as written. */
	public String raw() {
		return this.raw;
	}

	/** Not a strict semantic version: only equal to the very same string. */
	public boolean isDev() {
		return this.core == null;
	}

	/** A semantic version with a prerelease part, such as {@code v1.5.0-rc2}. */
	public boolean isPrerelease() {
		return !isDev() && !this.prerelease.isEmpty();
	}

	/**
	 * Harvester's equality: raw strings for dev versions, precedence otherwise ({@code 1.4.1} equals
	 * {@code v1.4.1}).
	 */
	public boolean isSameAs(HarvesterVersion other) {
		if (isDev() || other.isDev()) {
			return this.raw.equals(other.raw);
		}
		return compareTo(other) == 0;
	}

	/** Whether both have the same {@code MAJOR.MINOR.PATCH}, prerelease parts aside. Both must be non-dev. */
	public boolean hasSameStableVersion(HarvesterVersion other) {
		requireComparable(other);
		return this.core[0] == other.core[0] && this.core[1] == other.core[1] && this.core[2] == other.core[2];
	}

	/** Whether both have the same {@code MAJOR.MINOR}. Both must be non-dev. */
	public boolean hasSameMinor(HarvesterVersion other) {
		requireComparable(other);
		return this.core[0] == other.core[0] && this.core[1] == other.core[1];
	}

	/**
	 * Precedence of {@code MAJOR.MINOR.PATCH} alone, prerelease parts aside: {@code v1.8.0-rc1} ranks as
	 * {@code v1.8.0}. Both must be non-dev.
	 */
	public int compareStable(HarvesterVersion other) {
		requireComparable(other);
		for (int i = 0; i < 3; i++) {
			int byPart = Long.compare(this.core[i], other.core[i]);
			if (byPart != 0) {
				return byPart;
			}
		}
		return 0;
	}

	/**
	 * Semantic-version precedence.
	 * @throws IllegalStateException when either version is a dev version
	 */
	public int compareTo(HarvesterVersion other) {
		requireComparable(other);
		for (int i = 0; i < 3; i++) {
			int byPart = Long.compare(this.core[i], other.core[i]);
			if (byPart != 0) {
				return byPart;
			}
		}
		if (this.prerelease.isEmpty() || other.prerelease.isEmpty()) {
			return Boolean.compare(this.prerelease.isEmpty(), other.prerelease.isEmpty());
		}
		int common = Math.min(this.prerelease.size(), other.prerelease.size());
		for (int i = 0; i < common; i++) {
			int byIdentifier = compareIdentifiers(this.prerelease.get(i), other.prerelease.get(i));
			if (byIdentifier != 0) {
				return byIdentifier;
			}
		}
		return Integer.compare(this.prerelease.size(), other.prerelease.size());
	}

	/** {@code v1.5.0} for {@code v1.5.0-rc2}; only for non-dev versions. */
	public String stableVersion() {
		requireComparable(this);
		List<String> parts = new ArrayList<>(3);
		for (long part : this.core) {
			parts.add(Long.toString(part));
		}
		return "v" + String.join(".", parts);
	}

	@Override
	public String toString() {
		return this.raw;
	}

	private void requireComparable(HarvesterVersion other) {
		if (isDev() || other.isDev()) {
			throw new IllegalStateException("incomparable: dev version (" + this.raw + ", " + other.raw + ")");
		}
	}

	private static int compareIdentifiers(String a, String b) {
		boolean aNumeric = a.chars().allMatch(Character::isDigit);
		boolean bNumeric = b.chars().allMatch(Character::isDigit);
		if (aNumeric && bNumeric) {
			return (a.length() != b.length()) ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
		}
		if (aNumeric != bNumeric) {
			return aNumeric ? -1 : 1;
		}
		return a.compareTo(b);
	}

}
