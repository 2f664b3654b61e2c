package io.harvester.upgradereadiness.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart, rendered by the Helm library embedded in helm-java and parsed into fabric8's typed objects. */
final class Chart {

	static final Path PATH = Path.of("charts/harvester-upgrade-readiness");

	static final String RELEASE = "upgrade-readiness";

	static final String NAMESPACE = "harvester-system";

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	private Chart() {
	}

	/** {@code helm template upgrade-readiness <chart> -n <namespace> --set k=v ...}: the manifest as YAML. */
	static String template(String namespace, Map<String, Object> values) {
		TemplateCommand command = new Helm(PATH).template().withName(RELEASE).withNamespace(namespace);
		for (Map.Entry<String, Object> value : values.entrySet()) {
			command = command.set(value.getKey(), value.getValue());
		}
		return command.call();
	}

	/** {@code helm template ... -f <values file>}: the manifest rendered with a values file, parsed. */
	static List<HasMetadata> renderWithValuesFile(Path valuesFile) {
		String manifest = new Helm(PATH).template()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withValuesFile(valuesFile)
			.call();
		Object parsed = SERIALIZATION.unmarshal(manifest);
		List<?> documents = (parsed instanceof List<?> list) ? list : List.of(parsed);
		return documents.stream().map(HasMetadata.class::cast).toList();
	}

	/** The rendered objects, typed (ClusterRole, Deployment, ...). */
	static List<HasMetadata> render(String namespace, Map<String, Object> values) {
		Object parsed = SERIALIZATION.unmarshal(template(namespace, values));
		List<?> documents = (parsed instanceof List<?> list) ? list : List.of(parsed);
		return documents.stream().map(HasMetadata.class::cast).toList();
	}

	static List<HasMetadata> render(Map<String, Object> values) {
		return render(NAMESPACE, values);
	}

	static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
		return objects.stream().filter(type::isInstance).map(type::cast).toList();
	}

	static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
		List<T> found = all(objects, type);
		if (found.size() != 1) {
			throw new AssertionError("expected one " + type.getSimpleName() + ", rendered " + found.size());
		}
		return found.get(0);
	}

	/**
	 * {@code helm install --dry-run} without a cluster: renders NOTES.txt too, which {@code helm template} leaves
	 * out. Returns Helm's output (status and notes).
	 */
	static String installDryRun(Map<String, Object> values) {
		InstallCommand command = new Helm(PATH).install()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.dryRun()
			.clientOnly();
		for (Map.Entry<String, Object> value : values.entrySet()) {
			command = command.set(value.getKey(), value.getValue());
		}
		return command.call().getOutput();
	}

	/**
	 * A copy of the chart whose values.yaml has the given dotted keys changed, for what has no {@code --set}
	 * ({@code helm lint} in helm-java reads only the chart's own values).
	 */
	@SuppressWarnings("unchecked")
	static Path copyWithValues(Path directory, Map<String, Object> changes) {
		Path copy = directory.resolve(PATH.getFileName());
		try (Stream<Path> files = Files.walk(PATH)) {
			for (Path file : files.toList()) {
				Path target = copy.resolve(PATH.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
			Yaml yaml = new Yaml(dumperOptions());
			Map<String, Object> values = yaml.load(Files.readString(PATH.resolve("values.yaml")));
			for (Map.Entry<String, Object> change : changes.entrySet()) {
				String[] keys = change.getKey().split("\\.");
				Map<String, Object> parent = values;
				for (int i = 0; i < keys.length - 1; i++) {
					parent = (Map<String, Object>) parent.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
				}
				parent.put(keys[keys.length - 1], change.getValue());
			}
			Files.writeString(copy.resolve("values.yaml"), yaml.dump(values));
			return copy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static DumperOptions dumperOptions() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		return options;
	}

}
