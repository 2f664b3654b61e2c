package io.harvester.upgradereadiness.rehearsal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Writes amounts back as Kubernetes quantities, exactly ({@link #exact}) or for people to read ({@link #human}). */
final class Quantities {

	private static final long KI = 1024;

	private static final long MI = KI * KI;

	private static final long GI = MI * KI;

	private static final long TI = GI * KI;

	private Quantities() {
	}

	/**
	 * The quantity of an amount in this package's units (millicores for cpu, base units otherwise) as Kubernetes
	 * would accept it back: {@code 500m}, {@code 4}, {@code 8Gi}, {@code 3215Mi}, {@code 3371567017}.
	 */
	static String exact(String resource, long amount) {
		if (Model.CPU.equals(resource)) {
			return (amount % 1000 == 0) ? Long.toString(amount / 1000) : amount + "m";
		}
		if (amount != 0 && isBytes(resource)) {
			for (long unit : new long[] { TI, GI, MI, KI }) {
				if (amount % unit == 0) {
					return amount / unit + suffix(unit);
				}
			}
		}
		return Long.toString(amount);
	}

	/** The same for people: cpu in millicores, bytes in the largest binary unit with one decimal ({@code 3.2Gi}). */
	static String human(String resource, long amount) {
		if (Model.CPU.equals(resource)) {
			return amount + "m";
		}
		if (!isBytes(resource)) {
			return Long.toString(amount);
		}
		long abs = Math.abs(amount);
		for (long unit : new long[] { TI, GI, MI, KI }) {
			if (abs >= unit) {
				BigDecimal value = BigDecimal.valueOf(amount).divide(BigDecimal.valueOf(unit), 1, RoundingMode.HALF_UP)
					.stripTrailingZeros();
				return value.toPlainString() + suffix(unit);
			}
		}
		return Long.toString(amount);
	}

	private static boolean isBytes(String resource) {
		return resource.equals(Model.MEMORY) || resource.equals("ephemeral-storage") || resource.startsWith("hugepages-");
	}

	private static String suffix(long unit) {
		if (unit == TI) {
			return "Ti";
		}
		if (unit == GI) {
			return "Gi";
		}
		return (unit == MI) ? "Mi" : "Ki";
	}

}
