package io.harvester.upgradereadiness.cluster;

import java.time.Clock;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the snapshot source: files when {@code upgrade-readiness.snapshot.path} is set, otherwise the live
 * cluster through the kubeconfig or the in-cluster service account.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SnapshotProperties.class)
class ClusterConfiguration {

	@Bean
	ClusterSnapshotHealthIndicator clusterSnapshotHealthIndicator(SnapshotSource source) {
		return new ClusterSnapshotHealthIndicator(source);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnExpression("!'${upgrade-readiness.snapshot.path:}'.trim().isEmpty()")
	static class FileSource {

		@Bean
		FileSnapshotSource fileSnapshotSource(SnapshotProperties properties, Clock clock) {
			return FileSnapshotSource.load(properties.path().trim(), clock.instant());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnExpression("'${upgrade-readiness.snapshot.path:}'.trim().isEmpty()")
	static class LiveSource {

		/**
		 * A client that fails fast: no request retries with backoff (fabric8's default retries ~19 s) and short
		 * timeouts, so that an unreachable API server shows at once and informers keep retrying on their own.
		 */
		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		KubernetesClient kubernetesClient() {
			Config config = new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(0)
				.withConnectionTimeout(3_000)
				.withRequestTimeout(30_000)
				.build();
			return new KubernetesClientBuilder().withConfig(config).build();
		}

		@Bean
		InformerSnapshotSource informerSnapshotSource(KubernetesClient client, SnapshotProperties properties,
				Clock clock,
				@Value("${upgrade-readiness.checks.node-disk-headroom.enabled:false}") boolean nodeDiskHeadroom) {
			return new InformerSnapshotSource(client, clock, properties, nodeDiskHeadroom);
		}

		/** The seam the opt-in OpenReports publisher writes through; it does nothing until asked. */
		@Bean
		OpenReportsClient openReportsClient(KubernetesClient client) {
			return new OpenReportsClient(client);
		}

	}

}
