# syntax=docker/dockerfile:1
#
# harvester-upgrade-readiness: a read-only service that tells whether a Harvester cluster can be upgraded.
#
# Build (from the repository root):
#   docker build -t harvester-upgrade-readiness:0.1.0 .
#
# Run against a cluster through a kubeconfig (the file must be readable by the container user; add
# --user "$(id -u):$(id -g)" when it is private to you):
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp \
#     -v ~/.kube/config:/kubeconfig:ro -e KUBECONFIG=/kubeconfig harvester-upgrade-readiness:0.1.0
#
# Run over a support bundle or a `kubectl get -o yaml` dump (no API server is contacted):
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp \
#     -e UPGRADE_READINESS_SNAPSHOT_PATH=/snapshot -v /tmp/bundle:/snapshot:ro harvester-upgrade-readiness:0.1.0
#
# Run on the embedded demo snapshot:
#   docker run --rm -p 8080:8080 harvester-upgrade-readiness:0.1.0 --spring.profiles.active=demo
#
# Then: curl -s localhost:8080/api/v1/upgrade-readiness
#
# Probes (Kubernetes): liveness  GET /actuator/health/liveness  (the process only)
#                      readiness GET /actuator/health/readiness (DOWN until every watched kind is synced)
# Never probe /actuator/health: it is DOWN whenever the *cluster* is not ready to upgrade.
#
# The image runs as the numeric non-root user 65532 and writes only to /tmp (java.io.tmpdir), so it runs with a
# read-only root filesystem when /tmp is a tmpfs or an emptyDir. The heap is 75 % of the container's memory limit;
# override with JAVA_TOOL_OPTIONS. An OutOfMemoryError ends the process (-XX:+ExitOnOutOfMemoryError): a JVM that
# survives one has threads dead and caches half-built, and would serve nothing while looking alive; exiting lets
# Kubernetes restart the pod and shows the reason in its log.

# Start-up uses class-data sharing: a training run at build time (-Dspring.context.exit=onRefresh: the context is
# built, then the JVM exits before anything starts) writes the classes it loaded to application.jsa; every start
# maps them instead of loading and verifying them again. CDS needs the jar on the class path (not JarLauncher's
# nested class loader), hence the extraction without --launcher. The training run uses the demo profile so that
# the snapshot reader's classes are archived too; the live source's classes load as usual.

# ---- build: compile and package, then split the jar into Spring Boot's layers ----
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace

# The wrapper and the POM first: the dependency layer is rebuilt only when they change.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp dependency:go-offline

COPY src src
RUN ./mvnw -B -ntp package -DskipTests \
 && java -Djarmode=tools -jar target/upgrade-readiness.jar extract --layers --destination extracted

# ---- runtime: a JRE and the four layers, least likely to change first ----
FROM eclipse-temurin:17-jre
WORKDIR /app

COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

# The class-data sharing archive, made by this image's own JVM (an archive only fits the JVM that wrote it).
RUN java -XX:+UseG1GC -XX:ArchiveClassesAtExit=application.jsa -Dspring.context.exit=onRefresh -jar upgrade-readiness.jar \
      --spring.profiles.active=demo --server.port=0

# Numeric, so that Kubernetes' runAsNonRoot can verify it; no entry in /etc/passwd is needed.
USER 65532:65532

EXPOSE 8080

# G1 named, not left to the JVM: under a memory limit below 1792 Mi the JVM would pick the serial collector, which
# syncs a big cluster slower, with many more full collections (docs/benchmarks.md, "Sync and file load").
ENTRYPOINT ["java", "-XX:+UseG1GC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=application.jsa", "-Djava.io.tmpdir=/tmp", "-jar", "upgrade-readiness.jar"]
