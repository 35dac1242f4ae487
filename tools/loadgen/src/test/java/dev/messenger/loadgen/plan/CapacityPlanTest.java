package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapacityPlanTest {
  private static final CapacityTarget DEFAULTS = new CapacityTarget(500e6, 40, 100, 3, 1, 1, 3, 0.6);

  @Test
  void should_turn_daily_users_into_a_peak_rate() {
    assertThat(DEFAULTS.averageMessagesPerSecond()).isCloseTo(231_481.48, org.assertj.core.data.Offset.offset(0.01));
    assertThat(DEFAULTS.peakMessagesPerSecond()).isCloseTo(694_444.44, org.assertj.core.data.Offset.offset(0.01));
    assertThat(DEFAULTS.peakStreams()).isEqualTo(500e6);
  }

  @Test
  void should_size_each_tier_by_its_measured_bound_and_show_the_arithmetic() {
    MeasuredFigures measured = new MeasuredFigures(1000, 2000, 20, 2000, Optional.of(10.0), 1, 1, 50_000, 5_000,
        1_000_000, Optional.empty(), Optional.empty(), List.of());

    CapacityPlan plan = new CapacityPlan(DEFAULTS, measured, 8, 16);

    Map<String, Object> tiers = plan.toMap();
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> byTier = (Map<String, Map<String, Object>>) tiers.get("tiers");
    // streams: 8 GiB / 10 KiB = 838,861 per server; 500M / (838,861 x 0.6) = 994 servers.
    // deliveries: 694,444 x 2 devices / (2000 x 0.6) = 1,158 servers: the bound.
    assertThat(byTier.get("session_servers")).containsEntry("count", 1158L);
    assertThat(byTier.get("session_servers").get("bounded_by").toString()).contains("deliveries");
    // 694,444 / (1000 x 0.6) = 1,158 routers.
    assertThat(byTier.get("routers")).containsEntry("count", 1158L);
    // rows: 12, none conditional, x RF 3 = 36 insert-equivalents; 694,444 x 36 / 30,000 = 834 nodes.
    assertThat(byTier.get("cql_nodes")).containsEntry("count", 834L);
    // NATS: 7 messages each: 4,861,111 / 600,000 = 9 servers.
    assertThat(byTier.get("nats_servers")).containsEntry("count", 9L);
    assertThat(plan.lines()).anyMatch(l -> l.contains("231,481 messages/s on average"));
  }

  @Test
  void should_count_what_one_message_costs() {
    WritePath path = new WritePath(2);

    assertThat(path.rows()).isEqualTo(14);
    assertThat(path.natsMessages()).isEqualTo(8);
    assertThat(path.framesToDevices()).isEqualTo(8);
    assertThat(path.cqlBound(14_000)).isEqualTo(1000.0);
    assertThat(path.conditionalRows()).isZero();
    assertThat(path.cqlBoundWithLwt(14_000, 1_000)).isEqualTo(1000.0);
  }

  @Test
  void should_size_session_servers_and_routers_by_measured_cpu_per_message_when_known() {
    MeasuredFigures measured = new MeasuredFigures(100, 200, 20, 2000, Optional.of(1.0), 1, 1, 50_000, 5_000,
        1_000_000, Optional.of(5.0), Optional.of(4.0), List.of());

    CapacityPlan plan = new CapacityPlan(DEFAULTS, measured, 8, 16);

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> byTier = (Map<String, Map<String, Object>>) plan.toMap().get("tiers");
    // 694,444 msg/s x 5 ms = 3,472 cores / (16 x 0.6) = 362 session servers (streams: 8 GiB / 1 KiB per stream
    // would need only 100); x 4 ms = 2,778 cores / 9.6 = 290 routers.
    assertThat(byTier.get("session_servers")).containsEntry("count", 362L).containsEntry("bounded_by", "CPU per message");
    assertThat(byTier.get("routers")).containsEntry("count", 290L).containsEntry("bounded_by", "CPU per message");
  }

  @Test
  void should_read_cpu_per_message_from_the_services_metrics() {
    Map<String, Object> report = dev.messenger.loadgen.report.Json.parseObject("""
        {"server": {"metrics_over_window": {
          "http://s/metrics": {"counters": {"messenger_session_sends_total{outcome=\\"acked\\"}": 6000,
                                            "process_cpu_seconds_total": 30.0}},
          "http://r/metrics": {"counters": {"messenger_router_messages_committed_total": 6000,
                                            "process_cpu_seconds_total": 24}}}}}""");

    assertThat(MeasuredFigures.cpuPerMessage(report, "messenger_session_sends_total{outcome=\"acked\"}")).contains(5.0);
    assertThat(MeasuredFigures.cpuPerMessage(report, "messenger_router_messages_committed_total")).contains(4.0);
  }
}
