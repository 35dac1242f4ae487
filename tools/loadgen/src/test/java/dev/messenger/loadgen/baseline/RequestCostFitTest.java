package dev.messenger.loadgen.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCostFitTest {
  private static RequestCostFit.Point point(double requests, int partitions, double noise) {
    double cores = 0.06 + 180e-6 * requests + 95e-6 * requests * partitions + noise;
    return new RequestCostFit.Point(requests, requests * partitions, cores);
  }

  @Test
  void should_recover_the_cost_of_a_request_and_of_a_partition() {
    RequestCostFit fit = RequestCostFit.of(List.of(new RequestCostFit.Point(0, 0, 0.06), point(800, 1, 0.01),
        point(800, 8, -0.01), point(3200, 1, 0.005), point(400, 8, 0)));

    assertThat(fit.fixedCores()).isCloseTo(0.06, offset(0.02));
    assertThat(fit.secondsPerRequest() * 1e6).isCloseTo(180, offset(15.0));
    assertThat(fit.secondsPerPartition() * 1e6).isCloseTo(95, offset(5.0));
    assertThat(fit.worstResidualCores()).isPositive().isLessThan(0.02);
    assertThat(fit.partitionStandardError()).isPositive().isLessThan(fit.secondsPerPartition() / 5);
  }

  @Test
  void should_refuse_points_that_cannot_tell_requests_from_partitions() {
    // Always one partition a request: requests and partitions move together.
    List<RequestCostFit.Point> together = List.of(new RequestCostFit.Point(0, 0, 0.06), point(400, 1, 0),
        point(800, 1, 0), point(1600, 1, 0));

    assertThatThrownBy(() -> RequestCostFit.of(together)).hasMessageContaining("do not vary requests and partitions");
    assertThatThrownBy(() -> RequestCostFit.of(together.subList(0, 3))).hasMessageContaining("at least four points");
  }
}
