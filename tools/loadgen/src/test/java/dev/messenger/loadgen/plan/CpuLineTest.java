package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CpuLineTest {

  @Test
  void should_recover_idle_and_cost_per_message_from_two_points() {
    // 0.2 cores idle + 3 ms per message: 0.26 cores at 20 msg/s, 0.32 at 40.
    CpuLine line = CpuLine.fit(new double[] {20, 40}, new double[] {0.26, 0.32});

    assertThat(line.idleCores()).isCloseTo(0.2, offset(1e-12));
    assertThat(line.perMessageMillis()).isCloseTo(3.0, offset(1e-9));
    assertThat(line.clamped()).isEmpty();
  }

  @Test
  void should_fit_three_points_by_least_squares() {
    // Mean rate 20, mean cores 0.31; slope = ((-10)(-0.06) + 0 + (10)(0.04)) / 200 = 0.005; idle 0.31 - 0.1.
    CpuLine line = CpuLine.fit(new double[] {10, 20, 30}, new double[] {0.25, 0.33, 0.35});

    assertThat(line.perMessageMillis()).isCloseTo(5.0, offset(1e-9));
    assertThat(line.idleCores()).isCloseTo(0.21, offset(1e-12));
    assertThat(line.at(100)).isCloseTo(0.71, offset(1e-12));
  }

  @Test
  void should_hold_a_negative_cost_per_message_at_zero_and_idle_at_the_mean() {
    CpuLine line = CpuLine.fit(new double[] {20, 40}, new double[] {0.032, 0.030});

    assertThat(line.perMessageSeconds()).isZero();
    assertThat(line.idleCores()).isCloseTo(0.031, offset(1e-12));
    assertThat(line.clamped()).hasValueSatisfying(why -> assertThat(why).contains("per-message cost -0.100 ms"));
  }

  @Test
  void should_hold_a_negative_idle_at_zero_and_fit_through_the_origin() {
    // Fitted: 0.004 x r - 0.03. Through the origin: (10 x 0.01 + 20 x 0.05) / (100 + 400) = 0.0022.
    CpuLine line = CpuLine.fit(new double[] {10, 20}, new double[] {0.01, 0.05});

    assertThat(line.idleCores()).isZero();
    assertThat(line.perMessageSeconds()).isCloseTo(0.0022, offset(1e-12));
    assertThat(line.clamped()).hasValueSatisfying(why -> assertThat(why).contains("idle -0.030 cores"));
  }

  @Test
  void should_refuse_points_at_one_rate() {
    assertThatThrownBy(() -> CpuLine.fit(new double[] {20, 20}, new double[] {0.1, 0.2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two distinct rates");
  }
}
