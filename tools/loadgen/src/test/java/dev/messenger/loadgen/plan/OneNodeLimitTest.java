package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OneNodeLimitTest {
  @Test
  void should_bracket_the_limit_by_the_highest_run_held_and_the_slowest_run_above_it() {
    // Session 35's run b: 500 held at 18 ms, 600 went straight to 842 ms; 400 held, 700 and 800 missed too.
    List<RunCpu> runs = List.of(run(400, 400, 25.5, true), run(800, 800, 1555, true), run(500, 500, 18.2, true),
        run(700, 700, 842, true), run(600, 600, 842, true));

    OneNodeLimit limit = OneNodeLimit.of(runs, 50);

    assertThat(limit.held()).map(RunCpu::source).hasValue("r-500");
    assertThat(limit.missedAbove()).map(RunCpu::source).hasValue("r-600");
    assertThat(limit.nextRate(10)).hasValue(550);
  }

  @Test
  void should_halve_the_bracket_until_it_is_within_twice_the_smallest_gap() {
    List<RunCpu> runs = List.of(run(500, 500, 18, true), run(550, 550, 40, true), run(575, 575, 70, true));

    assertThat(OneNodeLimit.of(runs, 50).nextRate(10)).as("550 to 575: 25 apart, more than 20").hasValue(563);
    assertThat(OneNodeLimit.of(runs, 50).nextRate(12.5)).as("no more than 25 apart").isEmpty();
  }

  @Test
  void should_give_no_next_rate_that_is_one_of_the_two_runs() {
    List<RunCpu> runs = List.of(run(500, 500, 18, true), run(501, 501, 70, true));

    assertThat(OneNodeLimit.of(runs, 50).nextRate(0.2)).as("500.5 rounds to 501, the missed run").isEmpty();
  }

  @Test
  void should_take_a_run_offered_more_as_above_even_when_it_collapsed_below_the_rate_held() {
    List<RunCpu> runs = List.of(run(400, 400, 20, true), run(350, 800, 9000, true), run(900, 900, 9000, true));

    OneNodeLimit limit = OneNodeLimit.of(runs, 50);

    assertThat(limit.missedAbove()).map(RunCpu::source).hasValue("r-800");
    assertThat(limit.nextRate(10)).hasValue(600);
  }

  @Test
  void should_count_a_run_with_failed_checks_as_missed() {
    List<RunCpu> runs = List.of(run(400, 400, 20, true), run(600, 600, 30, false));

    assertThat(OneNodeLimit.of(runs, 50).missedAbove()).map(RunCpu::source).hasValue("r-600");
  }

  @Test
  void should_give_no_next_rate_when_every_run_held_or_none_did() {
    List<RunCpu> allHeld = List.of(run(100, 100, 10, true), run(200, 200, 20, true));
    List<RunCpu> noneHeld = List.of(run(100, 100, 60, true), run(200, 200, 90, true));

    assertThat(OneNodeLimit.of(allHeld, 50).missedAbove()).isEmpty();
    assertThat(OneNodeLimit.of(allHeld, 50).nextRate(10)).isEmpty();
    assertThat(OneNodeLimit.of(noneHeld, 50).held()).isEmpty();
    assertThat(OneNodeLimit.of(noneHeld, 50).nextRate(10)).isEmpty();
  }

  private static RunCpu run(double acked, double offered, double p99, boolean checksPassed) {
    return new RunCpu("r-" + Math.round(offered), acked, offered, p99, checksPassed, Map.of("session", acked / 1000),
        List.of(), StartBacklog.UNKNOWN, Optional.empty());
  }
}
