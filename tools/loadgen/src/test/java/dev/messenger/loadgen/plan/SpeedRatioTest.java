package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpeedRatioTest {
  @Test
  void should_divide_the_cluster_runs_median_job_time_by_the_one_node_runs() {
    List<RunCpu> oneNode = List.of(run("one-10", 10, 800), run("one-50", 50, 840), run("one-100", 100, 1_500));
    List<RunCpu> cluster = List.of(run("c-20", 20, 900), run("c-60", 60, 860), run("c-90", 90, 960),
        run("c-100", 100, 2_000));

    SpeedRatio ratio = SpeedRatio.of(oneNode, cluster);

    // Medians: 840 of three, whatever the slow one-node run took; (900 + 960) / 2 = 930 of four.
    assertThat(ratio.oneNodeJobMicros()).hasValue(840);
    assertThat(ratio.clusterJobMicros()).hasValue(930);
    assertThat(ratio.factor()).isCloseTo(930.0 / 840, offset(1e-12));
    assertThat(ratio.reason()).contains("930 us of CPU before the cluster runs against 840 us before the one-node runs")
        .contains("x 1.107");
  }

  @Test
  void should_compare_the_job_timed_on_every_core_at_once_when_every_run_has_it_and_none_when_some_do() {
    // The cluster's cores slowed each other down by a third, which one core alone hardly shows.
    List<RunCpu> oneNode = List.of(both("one-10", 10, 820, 830), both("one-50", 50, 830, 850));
    List<RunCpu> cluster = List.of(both("c-20", 20, 840, 1_120), both("c-60", 60, 850, 1_140));
    List<RunCpu> oneClusterRunOlder = List.of(both("c-20", 20, 840, 1_120), run("c-60", 60, 850));

    SpeedRatio allCores = SpeedRatio.of(oneNode, cluster);
    SpeedRatio mixed = SpeedRatio.of(oneNode, oneClusterRunOlder);

    assertThat(allCores.factor()).isCloseTo(1_130.0 / 840, offset(1e-12));
    assertThat(allCores.measure()).hasValue("on every core at once");
    assertThat(allCores.reason()).contains("a fixed job on every core at once took 1,130 us of CPU before the "
        + "cluster runs against 840 us before the one-node runs (medians; alone on one core: 845 against 825, "
        + "x 1.024)").endsWith("x 1.345");
    // Session 32's one-core times were a quarter slower for a shorter warm-up: not compared with later ones.
    assertThat(mixed.factor()).isEqualTo(1.0);
    assertThat(mixed.measure()).isEmpty();
    assertThat(mixed.reason()).startsWith("1 of the 4 runs timed the job on one core only, after a shorter warm-up");
  }

  @Test
  void should_compare_the_one_core_times_when_no_run_has_the_all_cores_figure() {
    SpeedRatio ratio = SpeedRatio.of(List.of(run("one-10", 10, 800)), List.of(run("c-20", 20, 880)));

    assertThat(ratio.factor()).isCloseTo(1.1, offset(1e-12));
    assertThat(ratio.measure()).hasValue("alone on one core");
    assertThat(ratio.reason()).startsWith("a fixed job alone on one core took 880 us of CPU before the cluster runs "
        + "against 800 us before the one-node runs (medians): ");
  }

  @Test
  void should_take_one_speed_when_a_run_measured_none_or_there_is_no_cluster_run() {
    List<RunCpu> oneNode = List.of(run("one-10", 10, 800), run("one-50", 50, 840));
    RunCpu old = RunCpu.from("c-old", RunReports.run(20, 30, true, Map.of("session-1", 1.0), 10));

    SpeedRatio withOld = SpeedRatio.of(oneNode, List.of(run("c-20", 20, 1_000), old));
    SpeedRatio planOnly = SpeedRatio.of(oneNode, List.of());

    assertThat(withOld.factor()).isEqualTo(1.0);
    assertThat(withOld.clusterJobMicros()).isEmpty();
    assertThat(withOld.reason()).startsWith("1 of the 4 runs measured no machine speed (reports from before session "
        + "32, or runs without --cpu-pids)");
    assertThat(planOnly.factor()).isEqualTo(1.0);
    assertThat(planOnly.oneNodeJobMicros()).hasValue(820);
    assertThat(planOnly.reason()).contains("at the one-node runs' machine speed");
    assertThat(planOnly.measure()).isEmpty();
  }

  private static RunCpu both(String source, double rate, double oneCoreMicros, double allCoresMicros) {
    return RunCpu.from(source, RunReports.withSpeeds(RunReports.run(rate, 30, true, Map.of("session-1", 1.0), 10),
        oneCoreMicros, allCoresMicros));
  }

  private static RunCpu run(String source, double rate, double jobMicros) {
    return RunCpu.from(source, RunReports.withSpeed(RunReports.run(rate, 30, true, Map.of("session-1", 1.0), 10),
        jobMicros));
  }
}
