package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.plan.RunReports;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class LimitStepCommandTest {
  private final LoadgenCli cli = new LoadgenCli();

  @TempDir
  Path dir;

  @Test
  void should_print_the_rate_halfway_between_the_highest_run_held_and_the_one_above_that_missed() throws Exception {
    String runs = report("400", 400, 25) + "," + report("500", 500, 18) + "," + report("600", 600, 842) + ","
        + report("900", 900, 1050);

    assertThat(cli.run("limit-step", "--runs", runs)).isZero();
    assertThat(cli.out().strip()).isEqualTo("550");
  }

  @Test
  void should_print_nothing_once_the_two_are_within_twice_the_smallest_gap() throws Exception {
    String runs = report("500", 500, 18) + "," + report("520", 520, 90);

    assertThat(cli.run("limit-step", "--runs", runs, "--smallest-gap", "10")).isZero();
    assertThat(cli.out()).isEmpty();
    assertThat(cli.run("limit-step", "--runs", runs, "--smallest-gap", "5")).isZero();
    assertThat(cli.out().strip()).isEqualTo("510");
  }

  @Test
  void should_refuse_a_gap_or_a_bound_that_is_not_positive() throws Exception {
    String runs = report("500", 500, 18).toString();

    assertThat(cli.run("limit-step", "--runs", runs, "--smallest-gap", "0")).isEqualTo(2);
    assertThat(cli.err()).contains("--smallest-gap and --p99-ms must be positive, not 0.0 and 50.0");
    assertThat(cli.run("limit-step", "--runs", runs, "--p99-ms", "0")).isEqualTo(2);
    assertThat(cli.err()).contains("not 10.0 and 0.0");
  }

  private Path report(String name, double acked, double p99) throws Exception {
    return RunReports.written(dir.resolve(name + ".json"),
        RunReports.run(acked, p99, true, Map.of("session-1", acked / 100), 10));
  }
}
