package io.harvester.upgradereadiness.cli;

import java.time.Clock;
import java.util.Arrays;

/** Runs {@code check} from {@code main}: quiet logging, then the command's exit code. */
public final class CheckCommandLauncher {

	public static final String COMMAND = "check";

	private CheckCommandLauncher() {
	}

	public static boolean isCheckCommand(String[] args) {
		return args.length > 0 && COMMAND.equals(args[0]);
	}

	public static int launch(String[] args) {
		CliLogging.toStderr();
		return new CheckCommand(System.out, System.err, Clock.systemUTC())
			.run(Arrays.copyOfRange(args, 1, args.length));
	}

}
