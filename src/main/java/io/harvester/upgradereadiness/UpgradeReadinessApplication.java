package io.harvester.upgradereadiness;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class UpgradeReadinessApplication {

	public static void main(String[] args) {
		SpringApplication.run(UpgradeReadinessApplication.class, args);
	}

}
