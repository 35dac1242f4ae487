package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OneNodeScatterTest {
  @Test
  void should_find_no_scatter_in_runs_on_straight_lines() {
    // Router 0.01 + 1 ms a message, NATS 0.02 + 0.5 ms: a run left out lies on the line between its neighbours.
    List<RunCpu> runs = List.of(run(10, 0.02, 0.025), run(50, 0.06, 0.045), run(100, 0.11, 0.07),
        run(200, 0.21, 0.12));

    OneNodeScatter scatter = scatterOf(runs);

    assertThat(scatter.runsLeftOut()).as("the runs at 50 and 100 msg/s; 10 and 200 are the ends").isEqualTo(2);
    assertThat(scatter.rootMeanSquare()).hasValueCloseTo(0.0, offset(1e-12));
  }

  @Test
  void should_give_how_far_a_run_lies_from_the_curve_through_its_neighbours() {
    // Without the run at 200 msg/s the curves give router 0.2 and NATS 0.1 there: 0.30 cores against 0.33.
    List<RunCpu> runs = List.of(run(100, 0.10, 0.05), run(200, 0.23, 0.10), run(300, 0.30, 0.15));

    OneNodeScatter scatter = scatterOf(runs);

    assertThat(scatter.runsLeftOut()).isEqualTo(1);
    assertThat(scatter.rootMeanSquare()).hasValueCloseTo(1 - 0.30 / 0.33, offset(1e-12));
    assertThat(scatter.describe()).isEqualTo("±9.1% (root mean square; 1 run left out in turn and predicted from the "
        + "others)");
  }

  @Test
  void should_take_the_root_mean_square_of_every_run_left_out() {
    // Router alone, 0.1, 0.2, 0.3, 0.4 cores on the line, the runs at 200 and 300 msg/s 10 % above and below it.
    // Left out, 200 is predicted at 0.185 (halfway from 0.1 to 0.27) against 0.22; 300 at 0.31 (from 0.22 to 0.4)
    // against 0.27.
    List<RunCpu> runs = List.of(router(100, 0.10), router(200, 0.22), router(300, 0.27), router(400, 0.40));

    OneNodeScatter scatter = scatterOf(runs);

    assertThat(scatter.runsLeftOut()).isEqualTo(2);
    assertThat(scatter.rootMeanSquare()).hasValueCloseTo(rootMeanSquare(0.185 / 0.22 - 1, 0.31 / 0.27 - 1),
        offset(1e-12));
  }

  @Test
  void should_predict_a_run_left_out_from_another_at_its_rate() {
    // Two runs at 200 msg/s: either left out, the other is the curve's point there.
    List<RunCpu> runs = List.of(router(100, 0.10), router(200, 0.20), router(200, 0.25), router(300, 0.30));

    OneNodeScatter scatter = scatterOf(runs);

    assertThat(scatter.runsLeftOut()).isEqualTo(2);
    assertThat(scatter.rootMeanSquare()).hasValueCloseTo(rootMeanSquare(0.25 / 0.20 - 1, 0.20 / 0.25 - 1),
        offset(1e-12));
  }

  @Test
  void should_have_no_figure_without_a_run_between_the_lowest_and_the_highest_rate() {
    List<RunCpu> runs = List.of(run(100, 0.10, 0.05), run(200, 0.22, 0.10), run(200, 0.24, 0.11));

    OneNodeScatter scatter = scatterOf(runs);

    assertThat(scatter.rootMeanSquare()).isEmpty();
    assertThat(scatter.runsLeftOut()).isZero();
    assertThat(scatter.describe()).startsWith("not known");
  }

  private static double rootMeanSquare(double first, double second) {
    return Math.sqrt((first * first + second * second) / 2);
  }

  private static OneNodeScatter scatterOf(List<RunCpu> runs) {
    return OneNodeScatter.of(ClusterModel.fit(runs, ClusterShape.LOCAL_CLUSTER));
  }

  private static RunCpu run(double rate, double routerCores, double natsCores) {
    return RunReports.perMinute("one-" + rate, rate, 10, Map.of("router-1", routerCores * 60, "nats-1",
        natsCores * 60));
  }

  private static RunCpu router(double rate, double cores) {
    return RunReports.perMinute("one-" + rate, rate, 10, Map.of("router-1", cores * 60));
  }
}
