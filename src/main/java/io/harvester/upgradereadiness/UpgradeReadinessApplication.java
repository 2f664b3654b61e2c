package io.harvester.upgradereadiness;

import io.harvester.upgradereadiness.cli.CheckCommandLauncher;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class UpgradeReadinessApplication {

	/**
	 * Starts the service, or, with {@code check} as first argument, evaluates once without a web server and exits
	 * with the verdict.
	 */
	public static void main(String[] args) {
		if (CheckCommandLauncher.isCheckCommand(args)) {
			System.exit(CheckCommandLauncher.launch(args));
		}
		SpringApplication.run(UpgradeReadinessApplication.class, args);
	}

}
