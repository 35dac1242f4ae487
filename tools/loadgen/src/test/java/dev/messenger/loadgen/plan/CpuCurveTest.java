package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CpuCurveTest {

  @Test
  void should_follow_a_curve_that_grows_less_than_the_rate_between_its_points() {
    CpuCurve curve = CpuCurve.fit(new double[] {50, 100, 200, 400}, new double[] {0.10, 0.13, 0.16, 0.20});

    assertThat(curve.at(75)).isCloseTo(0.115, offset(1e-12));
    assertThat(curve.at(150)).isCloseTo(0.145, offset(1e-12));
    assertThat(curve.at(400)).isCloseTo(0.20, offset(1e-12));
    // The least-squares line through the four points misses them: 0.097 cores + 0.27 ms a message, 0.110 cores
    // at 50 msg/s and 0.137 at 150. Only its slope is kept, for beyond the points.
    assertThat(curve.slopeBeyond() * 1000).isCloseTo(0.2696, offset(1e-4));
    assertThat(curve.at(500)).isCloseTo(0.20 + 100 * curve.slopeBeyond(), offset(1e-12));
  }

  @Test
  void should_go_on_beyond_its_points_with_the_slope_of_the_least_squares_line_and_never_below_zero() {
    CpuCurve curve = CpuCurve.fit(new double[] {100, 200}, new double[] {0.06, 0.10});

    // 0.4 ms a message: 0.14 at 300; 0.02 at 0; nothing below 0 for a steeper slope, which stays the fitted one
    // (0.8 ms) rather than a flatter line through the origin.
    assertThat(curve.at(300)).isCloseTo(0.14, offset(1e-12));
    assertThat(curve.at(0)).isCloseTo(0.02, offset(1e-12));
    CpuCurve steep = CpuCurve.fit(new double[] {100, 200}, new double[] {0.02, 0.10});
    assertThat(steep.at(0)).isZero();
    assertThat(steep.slopeBeyond() * 1000).isCloseTo(0.8, offset(1e-12));
    assertThat(steep.at(300)).isCloseTo(0.18, offset(1e-12));
  }

  @Test
  void should_take_runs_at_nearly_the_same_rate_as_one_point_their_mean() {
    CpuCurve curve = CpuCurve.fit(new double[] {150, 151.5, 300}, new double[] {0.70, 0.80, 1.0});

    assertThat(curve.points()).hasSize(2);
    CpuCurve.Point first = curve.points().get(0);
    assertThat(first.rate()).isCloseTo(150.75, offset(1e-12));
    assertThat(first.cores()).isCloseTo(0.75, offset(1e-12));
    assertThat(first.runs()).isEqualTo(2);
  }

  @Test
  void should_pool_a_fall_between_points_into_their_mean_weighted_by_runs() {
    // Session 29's one node: 1.018 cores at 300 msg/s, 0.986 at 350, then 1.094 at 400. The 300 point stands
    // for two runs here, so the pooled level is (2 x 1.018 + 0.986) / 3.
    CpuCurve curve = CpuCurve.fit(new double[] {300, 301, 350, 400}, new double[] {1.018, 1.018, 0.986, 1.094});

    double pooled = (2 * 1.018 + 0.986) / 3;
    assertThat(curve.points()).extracting(CpuCurve.Point::cores).satisfiesExactly(
        cores -> assertThat(cores).isCloseTo(pooled, offset(1e-12)),
        cores -> assertThat(cores).isCloseTo(pooled, offset(1e-12)),
        cores -> assertThat(cores).isCloseTo(1.094, offset(1e-12)));
    assertThat(curve.at(325)).isCloseTo(pooled, offset(1e-12));
    for (double rate = 0; rate < 500; rate += 7) {
      assertThat(curve.at(rate + 7)).as("non-decreasing at %s msg/s", rate).isGreaterThanOrEqualTo(curve.at(rate));
    }
  }

  @Test
  void should_put_each_cluster_process_on_the_one_nodes_curve_at_its_share_of_the_rate() {
    // Routers: 0.10 cores at 50 msg/s, 0.13 at 100, 0.16 at 200, 0.20 at 400. Two routers sharing 200 msg/s each
    // run at 100: 2 x 0.13 = 0.26 cores; sharing 800, 2 x 0.20.
    List<RunCpu> oneNode = List.of(router(50, 0.10), router(100, 0.13), router(200, 0.16), router(400, 0.20));

    ClusterModel model = ClusterModel.fit(oneNode, ClusterShape.LOCAL_CLUSTER);

    assertThat(model.clusterCoresAt(200).get("router")).isCloseTo(0.26, offset(1e-12));
    assertThat(model.clusterCoresAt(800).get("router")).isCloseTo(0.40, offset(1e-12));
    double rate = model.rateAt(0.29).orElseThrow();
    assertThat(rate).as("two routers at 150 msg/s each: 0.145 cores").isCloseTo(300, offset(1e-6));
    assertThat(model.clusterTotalAt(rate)).isCloseTo(0.29, offset(1e-9));
  }

  @Test
  void should_hold_any_rate_when_the_clusters_cpu_stops_growing_below_the_budget() {
    ClusterModel flat = ClusterModel.fit(List.of(router(100, 0.10), router(200, 0.09)), ClusterShape.LOCAL_CLUSTER);

    // Pooled at 0.095 cores, flat: two routers use 0.19 at any rate.
    assertThat(flat.rateAt(0.5)).hasValue(Double.POSITIVE_INFINITY);
    assertThat(flat.rateAt(0.1)).isEmpty();
    assertThat(flat.clusterTotalAt(1e6)).isCloseTo(0.19, offset(1e-12));
  }

  @Test
  void should_refuse_one_node_runs_whose_rates_are_one_point() {
    List<RunCpu> close = List.of(router(100, 0.10), router(101.5, 0.11));

    assertThatThrownBy(() -> ClusterModel.fit(close, ClusterShape.LOCAL_CLUSTER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two rates at least 2% apart").hasMessageContaining("add a run at another --total-rate");
  }

  @Test
  void should_refuse_points_that_fall_or_do_not_rise_in_rate() {
    assertThatThrownBy(() -> new CpuCurve(List.of(new CpuCurve.Point(100, 0.2, 1), new CpuCurve.Point(200, 0.1, 1)),
        0.001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CpuCurve(List.of(new CpuCurve.Point(100, 0.1, 1), new CpuCurve.Point(100, 0.2, 1)),
        0.001)).isInstanceOf(IllegalArgumentException.class);
  }

  private static RunCpu router(double rate, double cores) {
    return RunCpu.from("router-" + rate, RunReports.run(rate, 30, true, Map.of("router-1", cores * 10), 10));
  }
}
