package io.harvester.upgradereadiness.check.vms;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reason a VMI cannot live-migrate.
 *
 * @param code the reason's code, as {@code details.reasons} of {@code vms-live-migratable} lists it
 * ({@code nodeSelector}, {@code hostDevices}, {@code gpus}, {@code cdrom}, {@code containerDisk},
 * {@code kubevirtNotMigratable})
 * @param text what blocks, for a finding's message ({@code CD-ROM disk attached: cdrom-disk})
 * @param fix how to make the VM migratable, for a finding's remediation
 * @param details what the reason is about, for a finding's details ({@code cdroms: [cdrom-disk]}); values may be
 * {@code null}
 */
public record MigrationBlocker(String code, String text, String fix, Map<String, Object> details) {

	public MigrationBlocker {
		details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

	public MigrationBlocker(String code, String text, String fix) {
		this(code, text, fix, Map.of());
	}

}
