package io.harvester.upgradereadiness.cli;

import java.io.StringWriter;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import io.harvester.upgradereadiness.check.CheckStatus;
import io.harvester.upgradereadiness.check.Finding;
import io.harvester.upgradereadiness.cluster.ResourceRef;
import io.harvester.upgradereadiness.report.ReadinessReport;

/**
 * The report as JUnit XML, which CI systems show natively: one test case per check. Blocking findings fail their
 * check's case; a check that could not be evaluated is an error; a skipped check is skipped with its reason;
 * warnings go to the case's output.
 */
final class JunitReport {

	private JunitReport() {
	}

	static String render(ReadinessReport report) {
		Map<String, Finding> findings = new LinkedHashMap<>();
		report.findings().forEach(f -> findings.put(f.id(), f));
		int failures = 0;
		for (ReadinessReport.CheckReport check : report.checks()) {
			if (check.findings().stream().map(findings::get).anyMatch(Finding::blocking)) {
				failures++;
			}
		}
		StringWriter out = new StringWriter();
		try {
			XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
			xml.writeStartDocument("UTF-8", "1.0");
			xml.writeCharacters("\n");
			xml.writeStartElement("testsuite");
			xml.writeAttribute("name", "harvester-upgrade-readiness");
			xml.writeAttribute("tests", Integer.toString(report.checks().size()));
			xml.writeAttribute("failures", Integer.toString(failures));
			xml.writeAttribute("errors", Integer.toString(report.summary().errored()));
			xml.writeAttribute("skipped", Integer.toString(report.summary().skipped()));
			xml.writeAttribute("timestamp", DateTimeFormatter.ISO_INSTANT.format(report.evaluatedAt()));
			xml.writeCharacters("\n");
			xml.writeStartElement("properties");
			property(xml, "verdict", report.verdict().name());
			property(xml, "snapshot", report.snapshot().source());
			for (String reason : report.reasons()) {
				property(xml, "reason", reason);
			}
			xml.writeEndElement();
			xml.writeCharacters("\n");
			for (ReadinessReport.CheckReport check : report.checks()) {
				writeCase(xml, check, check.findings().stream().map(findings::get).toList());
			}
			xml.writeEndElement();
			xml.writeCharacters("\n");
			xml.writeEndDocument();
			xml.close();
		}
		catch (XMLStreamException ex) {
			throw new IllegalStateException("Cannot write JUnit XML", ex);
		}
		return out.toString();
	}

	private static void writeCase(XMLStreamWriter xml, ReadinessReport.CheckReport check, List<Finding> findings)
			throws XMLStreamException {
		xml.writeStartElement("testcase");
		xml.writeAttribute("classname", "upgrade-readiness." + check.category());
		xml.writeAttribute("name", check.id());
		List<Finding> blocking = findings.stream().filter(Finding::blocking).toList();
		List<Finding> warnings = findings.stream().filter(f -> !f.blocking()).toList();
		if (!blocking.isEmpty()) {
			xml.writeStartElement("failure");
			xml.writeAttribute("type", "blocking");
			xml.writeAttribute("message", blocking.size() + " blocking finding" + (blocking.size() == 1 ? "" : "s")
					+ ": " + blocking.get(0).message());
			xml.writeCharacters(describe(blocking));
			xml.writeEndElement();
		}
		else if (check.status() == CheckStatus.ERROR) {
			xml.writeStartElement("error");
			xml.writeAttribute("message", String.valueOf(check.reason()));
			xml.writeEndElement();
		}
		else if (check.status() == CheckStatus.SKIPPED) {
			xml.writeStartElement("skipped");
			xml.writeAttribute("message", check.skipKind() + ": " + check.reason());
			xml.writeEndElement();
		}
		if (!warnings.isEmpty()) {
			xml.writeStartElement("system-out");
			xml.writeCharacters(describe(warnings));
			xml.writeEndElement();
		}
		xml.writeEndElement();
		xml.writeCharacters("\n");
	}

	private static String describe(List<Finding> findings) {
		StringBuilder text = new StringBuilder();
		for (Finding finding : findings) {
			text.append(finding.severity()).append(": ").append(finding.message()).append('\n');
			text.append("  resources: ")
				.append(String.join(", ", finding.resources().stream().map(ResourceRef::toString).toList()))
				.append('\n');
			text.append("  fix: ").append(finding.remediation()).append('\n');
		}
		return text.toString();
	}

	private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
		xml.writeEmptyElement("property");
		xml.writeAttribute("name", name);
		xml.writeAttribute("value", value);
	}

}
