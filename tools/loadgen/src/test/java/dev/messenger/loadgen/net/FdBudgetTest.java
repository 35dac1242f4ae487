package dev.messenger.loadgen.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FdBudgetTest {
  private final FdBudget budget = new FdBudget(20_000, 100, 28_232);

  @Test
  void should_say_why_one_process_cannot_hold_50000_connections_and_what_to_do() {
    assertThatThrownBy(() -> budget.check(50_000, 1, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("50,000 TCP connections")
        .hasMessageContaining("at most 19,644")
        .hasMessageContaining("--streams-per-connection=3")
        .hasMessageContaining("--processes=3");
  }

  @Test
  void should_let_multiplexed_streams_through() {
    assertThatCode(() -> budget.check(50_000, 10, 1)).doesNotThrowAnyException();
    assertThatCode(() -> budget.check(19_000, 1, 1)).doesNotThrowAnyException();
  }

  @Test
  void should_add_loopback_source_addresses_when_one_runs_out_of_ports() throws Exception {
    assertThat(SourceAddresses.resolve("auto", "127.0.0.1", 10_000, budget, 0)).isEmpty();
    assertThat(SourceAddresses.resolve("auto", "127.0.0.1", 60_000, budget, 0)).containsExactly(
        InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.4"));
    assertThat(SourceAddresses.resolve("auto", "127.0.0.1", 10_000, budget, 2))
        .containsExactly(InetAddress.getByName("127.0.0.4"));
  }

  @Test
  void should_parse_lists_and_ranges_and_refuse_to_guess_off_loopback() throws Exception {
    assertThat(SourceAddresses.resolve("127.0.0.2-127.0.0.4,127.0.1.1", "127.0.0.1", 1, budget, 0)).containsExactly(
        InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.4"),
        InetAddress.getByName("127.0.1.1"));
    assertThat(SourceAddresses.resolve("none", "127.0.0.1", 60_000, budget, 0)).isEmpty();
    assertThatThrownBy(() -> SourceAddresses.resolve("auto", "10.1.2.3", 60_000, budget, 0))
        .hasMessageContaining("--source-addresses");
  }
}
