package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.common.etcd.ShardCountAgreement;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Session servers and routers of one namespace agree on the shard count, recorded in etcd by the first. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ShardCountAgreementIT {
  private static TestCluster cluster;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    cluster.startSession("session-first", config -> config.withShards(32));
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_record_the_count_of_the_first_service_to_start() throws Exception {
    assertThat(cluster.etcdValue(ShardCountAgreement.key(cluster.subjects))).isEqualTo("32");
    cluster.startRouter("router-agreeing", config -> config.withShards(32));
    cluster.startSession("session-agreeing", config -> config.withShards(32));
    assertThat(cluster.etcdValue(ShardCountAgreement.key(cluster.subjects))).isEqualTo("32");
  }

  @Test
  void should_refuse_a_router_or_session_server_with_another_count() {
    assertThatThrownBy(() -> cluster.startRouter("router-64", UnaryOperator.identity()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("router router-64 is configured with 64 shards but this deployment uses 32")
        .hasMessageContaining("/" + cluster.subjects.namespace() + "/config/shards");
    assertThatThrownBy(() -> cluster.startSession("session-16", config -> config.withShards(16)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("session server session-16 is configured with 16 shards but this deployment uses 32");
  }

  @Test
  void should_stop_a_session_server_process_with_another_count() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ChildProcess process = cluster.startSessionProcess("session-process-48", port, "--shards=48");

    assertThat(process.awaitExit(Duration.ofSeconds(60))).isTrue();
    assertThat(process.onExit().get(5, TimeUnit.SECONDS)).isNotZero();
    assertThat(process.logTail(200)).contains("configured with 48 shards but this deployment uses 32");
  }
}
