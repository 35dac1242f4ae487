package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {
  @Test
  void should_find_the_series_of_an_expression_and_nothing_else() {
    assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (le, op) "
        + "(rate(messenger_history_cql_write_duration_seconds_bucket{op=~\"commit|projection\"}[$__rate_interval])))"
        + " > 0.5"))
        .containsExactly("messenger_history_cql_write_duration_seconds_bucket");
    assertThat(PromQlNames.of("sum(rate(a_total{outcome=\"failed\"}[5m])) / sum(rate(a_total[5m])) > 0.01"
        + " and on (instance) b_bytes offset 5m > 512 * 1024 unless c{x='y z'}"))
        .containsExactly("a_total", "b_bytes", "c");
    assertThat(PromQlNames.of("sum(x) without (le) / scalar(sum(rate(y_total[1h]))) > 1e9"))
        .containsExactly("x", "y_total");
  }
}
