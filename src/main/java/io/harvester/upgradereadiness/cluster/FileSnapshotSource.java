package io.harvester.upgradereadiness.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * A snapshot read once from files: a support bundle, a {@code kubectl get -o yaml} dump, or the embedded demo. No
 * API server is contacted. A file that cannot be read stops the service from starting: it never serves a report
 * over a partial snapshot.
 */
public final class FileSnapshotSource implements SnapshotSource {

	private static final String CLASSPATH = "classpath:";

	private final ClusterSnapshot snapshot;

	private FileSnapshotSource(ClusterSnapshot snapshot) {
		this.snapshot = snapshot;
	}

	/** Reads a path on disk, or a {@code classpath:} directory such as the embedded demo. */
	public static FileSnapshotSource load(String location, Instant takenAt) {
		SnapshotFileReader reader = new SnapshotFileReader();
		if (location.startsWith(CLASSPATH)) {
			return new FileSnapshotSource(reader.read(classpathFiles(location), location, takenAt));
		}
		return new FileSnapshotSource(reader.read(Path.of(location), takenAt));
	}

	@Override
	public Optional<ClusterSnapshot> current() {
		return Optional.of(this.snapshot);
	}

	@Override
	public List<KindStatus> kindStatuses() {
		return this.snapshot.statuses();
	}

	@Override
	public String description() {
		return this.snapshot.source();
	}

	private static List<SnapshotFileReader.SnapshotFile> classpathFiles(String location) {
		String root = location.substring(CLASSPATH.length()).replaceAll("^/+", "").replaceAll("/+$", "");
		try {
			Resource[] resources = new PathMatchingResourcePatternResolver()
				.getResources("classpath*:" + root + "/**/*");
			List<SnapshotFileReader.SnapshotFile> files = new ArrayList<>();
			for (Resource resource : resources) {
				if (!resource.isReadable()) {
					continue;
				}
				String url = resource.getURL().toString();
				int at = url.lastIndexOf(root + "/");
				String relative = (at < 0) ? resource.getFilename() : url.substring(at + root.length() + 1);
				files.add(new SnapshotFileReader.SnapshotFile() {

					@Override
					public String relativePath() {
						return relative;
					}

					@Override
					public String displayName() {
						return CLASSPATH + root + "/" + relative;
					}

					@Override
					public InputStream open() throws IOException {
						return resource.getInputStream();
					}

				});
			}
			if (files.isEmpty()) {
				throw new SnapshotReadException("Snapshot location " + location + " holds no files");
			}
			files.sort(java.util.Comparator.comparing(SnapshotFileReader.SnapshotFile::relativePath));
			return files;
		}
		catch (IOException ex) {
			throw new SnapshotReadException("Cannot list snapshot location " + location + ": " + ex.getMessage(), ex);
		}
	}

}
