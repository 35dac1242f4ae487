package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CpuComparisonTest {

  @Test
  void should_total_only_the_kinds_measured_on_both_sides() {
    // One node: session 0.05 + 2 ms per message, etcd 0.01 flat. Cluster: session 0.1 + 2 ms, etcd 0.03.
    List<RunCpu> oneNode = List.of(
        RunCpu.from("a", RunReports.run(100, 20, true, Map.of("session-1", 2.5, "etcd-1", 0.1), 10)),
        RunCpu.from("b", RunReports.run(200, 20, true, Map.of("session-1", 4.5, "etcd-1", 0.1), 10)));
    ClusterModel model = ClusterModel.fit(oneNode, ClusterShape.LOCAL_CLUSTER);
    // At 50 msg/s the cluster is predicted to use 0.2 cores of sessions; it used 0.25, and an unknown loadgen.
    RunCpu cluster = RunCpu.from("c", RunReports.run(50, 90, true,
        Map.of("session-1", 1.0, "session-2", 1.5, "loadgen-7", 3.0), 10));

    CpuComparison comparison = CpuComparison.of(model, cluster).orElseThrow();

    assertThat(comparison.byKind()).containsOnlyKeys("session");
    assertThat(comparison.total().measuredCores()).isCloseTo(0.25, offset(1e-12));
    assertThat(comparison.total().predictedCores()).isCloseTo(0.2, offset(1e-12));
    assertThat(comparison.total().error()).isCloseTo(-0.2, offset(1e-12));
    assertThat(comparison.measuredOnly()).containsExactly("loadgen");
    assertThat(comparison.predictedOnly()).containsExactly("etcd");
  }

  @Test
  void should_compare_nothing_for_a_run_without_process_cpu() {
    List<RunCpu> oneNode = List.of(
        RunCpu.from("a", RunReports.run(100, 20, true, Map.of("session-1", 2.5), 10)),
        RunCpu.from("b", RunReports.run(200, 20, true, Map.of("session-1", 4.5), 10)));
    RunCpu bare = RunCpu.from("c", RunReports.run(50, 90, true, Map.of(), 10));

    assertThat(CpuComparison.of(ClusterModel.fit(oneNode, ClusterShape.LOCAL_CLUSTER), bare)).isEmpty();
  }
}
