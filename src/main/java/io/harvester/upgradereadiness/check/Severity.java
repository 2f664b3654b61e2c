package io.harvester.upgradereadiness.check;

/** How serious a finding is. Only blocking findings keep the verdict from {@code READY}. */
public enum Severity {

	ERROR, WARNING, INFO

}
