package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClusterModelTest {
  private static final ClusterShape SYNCED_EACH_WRITE =
      new ClusterShape(3, 3, 3, 3, ClusterShape.StoreSync.EACH_WRITE, Map.of());

  /** The one node: store workers 0.1 cores idle + 0.6 ms a message, its sync 0.01 idle + 0.3 ms a message. */
  private static final List<RunCpu> STORE_WITH_SYNC = List.of(withSync("a", 100, 0.20, 0.04),
      withSync("b", 300, 0.38, 0.10));

  @Test
  void should_leave_the_one_nodes_commit_log_sync_out_of_a_cluster_whose_nodes_sync_periodically() {
    ClusterModel periodic = ClusterModel.fit(STORE_WITH_SYNC, ClusterShape.LOCAL_CLUSTER);
    ClusterModel eachWrite = ClusterModel.fit(STORE_WITH_SYNC, SYNCED_EACH_WRITE);

    assertThat(periodic.clusterTotalAt(0)).isCloseTo(3 * 0.1, offset(1e-9));
    assertThat(perMessageMillis(periodic)).isCloseTo(3 * 0.6, offset(1e-9));
    assertThat(eachWrite.clusterTotalAt(0)).isCloseTo(3 * 0.11, offset(1e-9));
    assertThat(perMessageMillis(eachWrite)).isCloseTo(3 * 0.9, offset(1e-9));
    assertThat(periodic.notes()).isEmpty();
  }

  @Test
  void should_scale_every_process_by_the_machines_speed() {
    ClusterModel fitted = ClusterModel.fit(STORE_WITH_SYNC, ClusterShape.LOCAL_CLUSTER);
    ClusterModel slower = fitted.atSpeed(1.25);

    assertThat(slower.clusterTotalAt(200)).isCloseTo(1.25 * fitted.clusterTotalAt(200), offset(1e-12));
    assertThat(slower.clusterCoresAt(0).get("cassandra")).isCloseTo(1.25 * 3 * 0.1, offset(1e-12));
    assertThat(slower.rateAt(1.25 * 0.9).orElseThrow()).isCloseTo(fitted.rateAt(0.9).orElseThrow(), offset(1e-6));
    assertThat(fitted.speedFactor()).isEqualTo(1.0);
    assertThatThrownBy(() -> fitted.atSpeed(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive number");
    assertThatThrownBy(() -> fitted.atSpeed(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_count_the_sync_with_the_store_when_not_every_run_lists_it() {
    List<RunCpu> mixed = List.of(STORE_WITH_SYNC.get(0),
        RunCpu.from("c", RunReports.run(300, 30, true, Map.of("cassandra-1", 3.8), 10)));

    ClusterModel model = ClusterModel.fit(mixed, ClusterShape.LOCAL_CLUSTER);

    assertThat(model.oneNodeCurves()).containsOnlyKeys("cassandra");
    assertThat(perMessageMillis(model)).as("0.9 ms a message, all of it x3")
        .isCloseTo(3 * 0.9, offset(1e-9));
    assertThat(model.notes()).singleElement().asString().contains("1 of the 2 one-node runs");
  }

  @Test
  void should_say_when_no_run_lists_the_sync_and_the_cluster_would_have_left_it_out() {
    List<RunCpu> old = List.of(RunCpu.from("a", RunReports.run(100, 30, true, Map.of("cassandra-1", 2.0), 10)),
        RunCpu.from("b", RunReports.run(300, 30, true, Map.of("cassandra-1", 3.8), 10)));

    assertThat(ClusterModel.fit(old, ClusterShape.LOCAL_CLUSTER).notes()).singleElement().asString()
        .contains("scaled with the rest of the store");
    assertThat(ClusterModel.fit(old, SYNCED_EACH_WRITE).notes()).isEmpty();
  }

  @Test
  void should_compare_the_store_whole_with_a_cluster_run_that_lists_no_sync() {
    RunCpu cluster = RunCpu.from("three", RunReports.run(200, 30, true, Map.of("cassandra-1", 5.0), 10));

    CpuComparison comparison = CpuComparison.of(ClusterModel.fit(STORE_WITH_SYNC, SYNCED_EACH_WRITE), cluster)
        .orElseThrow();

    // Predicted at 200 msg/s: 0.33 idle + 2.7 ms x 200 = 0.87 cores, the sync's share included.
    assertThat(comparison.byKind()).containsOnlyKeys("cassandra");
    assertThat(comparison.byKind().get("cassandra").predictedCores()).isCloseTo(0.87, offset(1e-9));
    assertThat(comparison.predictedOnly()).isEmpty();
  }

  @Test
  void should_compare_the_store_whole_with_a_cluster_run_whose_node_lists_its_sync() {
    RunCpu cluster = RunCpu.from("three", RunReports.withThreadGroups(RunReports.run(200, 30, true,
        Map.of("cassandra-1", 5.0), 10), Map.of("cassandra-1", Map.of("COMMIT-LOG-WRIT", 0.5))));

    CpuComparison comparison = CpuComparison.of(ClusterModel.fit(STORE_WITH_SYNC, ClusterShape.LOCAL_CLUSTER),
        cluster).orElseThrow();

    // Measured 0.5 cores with its sync; predicted 0.3 idle + 1.8 ms x 200 = 0.66, no sync.
    assertThat(comparison.byKind()).containsOnlyKeys("cassandra");
    assertThat(comparison.byKind().get("cassandra").measuredCores()).isCloseTo(0.5, offset(1e-9));
    assertThat(comparison.byKind().get("cassandra").predictedCores()).isCloseTo(0.66, offset(1e-9));
    assertThat(comparison.measuredOnly()).isEmpty();
    assertThat(comparison.predictedOnly()).isEmpty();
  }

  @Test
  void should_print_what_the_fit_assumed_as_a_warning() {
    List<RunCpu> mixed = List.of(STORE_WITH_SYNC.get(0),
        RunCpu.from("c", RunReports.run(300, 30, true, Map.of("cassandra-1", 3.8), 10)));

    ClusterPrediction prediction = new ClusterPrediction(ClusterModel.fit(mixed, ClusterShape.LOCAL_CLUSTER), mixed,
        List.of(), List.of(), 50, 2, 0.2);

    assertThat(prediction.lines()).anyMatch(line -> line.startsWith("  WARNING: the store's commit-log sync is "
        + "listed in the thread groups of 1 of the 2 one-node runs only"));
  }

  /** The cluster's CPU per message between 100 and 300 msg/s, in milliseconds. */
  private static double perMessageMillis(ClusterModel model) {
    return (model.clusterTotalAt(300) - model.clusterTotalAt(100)) / 200 * 1000;
  }

  /** A one-node run of the store alone: its cores, of which its commit-log sync's, over a 10 s window. */
  private static RunCpu withSync(String source, double rate, double storeCores, double syncCores) {
    Map<String, Object> report = RunReports.run(rate, 30, true, Map.of("cassandra-1", storeCores * 10), 10);
    return RunCpu.from(source, RunReports.withThreadGroups(report,
        Map.of("cassandra-1", Map.of("COMMIT-LOG-WRIT", syncCores * 10))));
  }
}
