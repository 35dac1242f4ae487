package dev.messenger.systemtests.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.testing.WithRealInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The load generator's offline-users scenario, as bench/run.sh runs it, on a small scale: it starts a push
 * instance (PushMain) and its mock FCM server, registers devices through the API and hands messages over;
 * every expected notification must reach the mock FCM once, over HTTP/2, with latencies measured.
 */
@WithRealInfrastructure
@ExtendWith(PushKeyspace.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PushLoadScenarioIT {
  @Test
  void should_notify_every_offline_recipient_once_and_report_rate_and_latency(PushKeyspace.Shared shared)
      throws Exception {
    Path root = ModuleClasspath.repositoryRoot();
    Path out = Files.createDirectories(root.resolve("system-tests/target/push/load-" + UUID.randomUUID()));
    var endpoints = shared.endpoints();
    String cql = endpoints.cqlContactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort())
        .reduce((a, b) -> a + "," + b).orElseThrow();
    ChildProcess loadgen = JavaProcess.builder("dev.messenger.loadgen.LoadgenMain")
        .name("loadgen-push")
        .classpath(ModuleClasspath.of(root, "tools/loadgen"))
        .jvmOptions("-Xmx256m", "-D" + ModuleClasspath.REPOSITORY_ROOT_PROPERTY + "=" + root)
        .removeEnvironment("MESSENGER_NATS_URL", "MESSENGER_CQL_CONTACT_POINTS", "MESSENGER_CQL_DATACENTER")
        .args("push", "--nats-url=" + endpoints.natsUrl(), "--cql-contact-points=" + cql,
            "--cql-datacenter=" + endpoints.cqlLocalDatacenter(), "--endpoints-file=" + out.resolve("none.env"),
            "--keyspace=" + shared.keyspace(), "--users=200", "--offline-share=0.5", "--rate=20", "--warmup=2s",
            "--duration=5s", "--drain=30s", "--instances=1", "--out=" + out)
        .logFile(out.resolve("loadgen.log"))
        .start();
    try {
      assertThat(loadgen.awaitExit(Duration.ofSeconds(150))).as("loadgen finished").isTrue();
      assertThat(loadgen.onExit().get()).as(loadgen.logTail(40)).isZero();
    } finally {
      loadgen.stop(Duration.ofSeconds(10));
    }

    JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
    assertThat(report.path("expected").asLong()).isPositive();
    assertThat(report.path("missing_unexplained").asLong()).as("neither collapsed nor covered by a later one").isZero();
    assertThat(report.path("accepted").asLong()).as("200 users: a burst in one conversation is rare")
        .isGreaterThanOrEqualTo(report.path("expected").asLong() - 2);
    assertThat(report.path("duplicates").asLong()).isZero();
    assertThat(report.path("not_http2").asLong()).isZero();
    assertThat(report.path("latency_samples").asLong()).isPositive();
    assertThat(report.path("pushes_per_s").asDouble()).isPositive();
    assertThat(report.path("pushes_per_s_per_instance").path("loadgen-push-1").asDouble()).isPositive();
    assertThat(report.path("commit_to_provider_ms").path("p99").asDouble())
        .isGreaterThanOrEqualTo(report.path("commit_to_provider_ms").path("p50").asDouble());
  }
}
