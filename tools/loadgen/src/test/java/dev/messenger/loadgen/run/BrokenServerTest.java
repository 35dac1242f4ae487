package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.common.auth.DevDefaults;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tool against a deliberately broken server: whatever the server drops or duplicates, the report
 * shows exactly that, in messages and in deliveries (every message expects one delivery per device of its
 * two members: 2 users x 2 devices = 4).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokenServerTest {
  private static final int DEVICES_PER_CONVERSATION = 4;

  private static RunResult run(BrokenSessionServer server, int streamsPerConnection) throws InterruptedException {
    Scenario scenario = Scenario.of(10, 2, 5, Duration.ofSeconds(3)).withDrain(Duration.ofSeconds(6));
    Target target = new Target(List.of(server.address()), DevDefaults.TOKEN_KEY, true, streamsPerConnection, List.of());
    return new LoadRun(scenario, target, RunSettings.quiet()).execute();
  }

  @Test
  void should_count_nothing_wrong_against_a_correct_server() throws Exception {
    try (BrokenSessionServer server = new BrokenSessionServer(DevDefaults.TOKEN_KEY,
        BrokenSessionServer.Fault.NONE, 1)) {
      RunResult result = run(server, 1);

      Tally tally = result.tally();
      assertThat(tally.acked()).isEqualTo(server.received()).isGreaterThan(100);
      assertThat(tally.expectedDeliveries()).isEqualTo(tally.acked() * DEVICES_PER_CONVERSATION);
      assertThat(tally.deliveredOfAcked()).isEqualTo(tally.expectedDeliveries());
      assertThat(tally.lost()).isZero();
      assertThat(tally.duplicated()).isZero();
      assertThat(tally.outOfOrder()).isZero();
      assertThat(tally.unresolved()).isZero();
      assertThat(result.connections().devicesConnected()).isEqualTo(20);
      assertThat(result.connections().tcpConnections()).isEqualTo(20);
      assertThat(result.delivery().getTotalCount()).isEqualTo(tally.deliveredOfAcked());
    }
  }

  @Test
  void should_report_exactly_the_messages_the_server_dropped() throws Exception {
    try (BrokenSessionServer server = new BrokenSessionServer(DevDefaults.TOKEN_KEY,
        BrokenSessionServer.Fault.DROP, 7)) {
      RunResult result = run(server, 5);

      Tally tally = result.tally();
      assertThat(server.broken()).isGreaterThan(10);
      assertThat(tally.acked()).isEqualTo(server.received());
      assertThat(tally.lostMessages()).isEqualTo(server.broken());
      assertThat(tally.lost()).isEqualTo(server.broken() * DEVICES_PER_CONVERSATION);
      assertThat(tally.deliveredOfAcked()).isEqualTo(tally.expectedDeliveries() - tally.lost());
      assertThat(tally.duplicated()).isZero();
      assertThat(tally.outOfOrder()).isZero();
      assertThat(result.connections().tcpConnections()).isEqualTo(4);
    }
  }

  @Test
  void should_report_exactly_the_messages_the_server_stored_twice() throws Exception {
    try (BrokenSessionServer server = new BrokenSessionServer(DevDefaults.TOKEN_KEY,
        BrokenSessionServer.Fault.STORE_TWICE, 5)) {
      RunResult result = run(server, 1);

      Tally tally = result.tally();
      assertThat(server.broken()).isGreaterThan(10);
      assertThat(tally.duplicated()).isEqualTo(server.broken() * DEVICES_PER_CONVERSATION);
      assertThat(tally.lost()).isZero();
      assertThat(tally.outOfOrder()).isZero();
      assertThat(result.redeliveriesDropped()).isZero();
    }
  }

  @Test
  void should_report_exactly_the_deliveries_the_server_sent_twice() throws Exception {
    try (BrokenSessionServer server = new BrokenSessionServer(DevDefaults.TOKEN_KEY,
        BrokenSessionServer.Fault.REDELIVER, 6)) {
      RunResult result = run(server, 20);

      Tally tally = result.tally();
      assertThat(server.broken()).isGreaterThan(10);
      assertThat(result.redeliveriesDropped()).isEqualTo(server.broken() * DEVICES_PER_CONVERSATION);
      assertThat(tally.duplicated()).isEqualTo(server.broken() * DEVICES_PER_CONVERSATION);
      assertThat(tally.lost()).isZero();
      assertThat(tally.outOfOrder()).isZero();
    }
  }
}
