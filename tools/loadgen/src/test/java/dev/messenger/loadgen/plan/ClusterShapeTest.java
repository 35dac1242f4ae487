package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClusterShapeTest {
  private static final ClusterShape CLUSTER = ClusterShape.LOCAL_CLUSTER;

  @Test
  void should_scale_the_store_by_its_nodes_when_idle_and_by_the_replicas_per_message() {
    ClusterShape fiveNodes = new ClusterShape(5, 3, 3, 3, ClusterShape.StoreSync.PERIODIC, Map.of());

    assertThat(factors(CLUSTER.scaling("cassandra"))).containsExactly(3.0, 3.0);
    assertThat(factors(fiveNodes.scaling("cassandra"))).containsExactly(5.0, 3.0);
  }

  @Test
  void should_leave_the_one_nodes_commit_log_sync_out_of_a_cluster_that_syncs_periodically() {
    ClusterShape syncedEachWrite =
        new ClusterShape(3, 3, 3, 3, ClusterShape.StoreSync.EACH_WRITE, Map.of());
    String sync = StoreCommitLogSync.kindOf("cassandra");

    assertThat(factors(CLUSTER.scaling(sync))).containsExactly(0.0, 0.0);
    assertThat(factors(syncedEachWrite.scaling(sync))).containsExactly(3.0, 3.0);
    assertThat(CLUSTER.scaling(sync).known()).isTrue();
  }

  @Test
  void should_put_every_server_of_a_nats_cluster_at_the_whole_rate_and_a_lone_server_as_measured() {
    assertThat(factors(CLUSTER.scaling("nats"))).containsExactly(3.0, 3.0);
    assertThat(CLUSTER.scaling("nats").workReason()).contains("JetStream keeps the push queues on three replicas")
        .doesNotContain("measured on three servers only");
    ClusterShape fiveNatsServers = new ClusterShape(3, 5, 3, 3, ClusterShape.StoreSync.PERIODIC, Map.of());
    assertThat(factors(fiveNatsServers.scaling("nats"))).containsExactly(5.0, 5.0);
    assertThat(fiveNatsServers.scaling("nats").workReason()).endsWith("measured on three servers only, not on 5");
    ClusterShape oneNatsServer = new ClusterShape(3, 1, 3, 3, ClusterShape.StoreSync.PERIODIC, Map.of());
    assertThat(factors(oneNatsServer.scaling("nats"))).containsExactly(1.0, 1.0);
  }

  @Test
  void should_scale_services_idle_by_their_instances_as_the_cluster_stack_starts_them() {
    assertThat(factors(CLUSTER.scaling("etcd"))).containsExactly(3.0, 3.0);
    assertThat(factors(CLUSTER.scaling("session"))).containsExactly(2.0, 1.0);
    assertThat(factors(CLUSTER.scaling("router"))).containsExactly(2.0, 1.0);
    assertThat(factors(CLUSTER.scaling("history"))).containsExactly(1.0, 1.0);
    assertThat(factors(CLUSTER.withInstances(Map.of("history", 3)).scaling("history"))).containsExactly(3.0, 1.0);
  }

  @Test
  void should_count_an_unknown_kind_once_and_say_it_is_unknown() {
    ClusterShape.Scaling loadgen = CLUSTER.scaling("loadgen");

    assertThat(factors(loadgen)).containsExactly(1.0, 1.0);
    assertThat(loadgen.known()).isFalse();
    assertThat(CLUSTER.scaling("push").known()).isTrue();
  }

  @Test
  void should_refuse_more_replicas_than_store_nodes() {
    assertThatThrownBy(() -> new ClusterShape(2, 3, 3, 3, ClusterShape.StoreSync.PERIODIC, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replication 3 needs at least as many store nodes, not 2");
  }

  private static double[] factors(ClusterShape.Scaling scaling) {
    return new double[] {scaling.processes(), scaling.workFactor()};
  }
}
