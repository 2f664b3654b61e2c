package io.harvester.upgradereadiness.report;

import java.util.List;

/** Acknowledgement rules that cannot be applied; stops start-up with every problem listed. */
public class InvalidAcknowledgementsException extends RuntimeException {

	private final List<String> problems;

	public InvalidAcknowledgementsException(List<String> problems) {
		super("Invalid acknowledgement rules:\n" + String.join("\n", problems.stream().map(p -> "  - " + p).toList()));
		this.problems = List.copyOf(problems);
	}

	public List<String> problems() {
		return this.problems;
	}

}
