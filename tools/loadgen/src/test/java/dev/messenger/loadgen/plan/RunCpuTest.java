package dev.messenger.loadgen.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RunCpuTest {

  @Test
  void should_name_a_process_kind_without_its_node_number_or_pid() {
    assertThat(RunCpu.kindOf("cassandra-2")).isEqualTo("cassandra");
    assertThat(RunCpu.kindOf("session-5360")).isEqualTo("session");
    assertThat(RunCpu.kindOf("cassandra-1-5035")).isEqualTo("cassandra");
    assertThat(RunCpu.kindOf("web")).isEqualTo("web");
    assertThat(RunCpu.kindOf("router-b")).isEqualTo("router-b");
  }

  @Test
  void should_sum_the_processes_of_a_kind_per_second_of_the_window() {
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("cassandra-1", 6.0);
    cpu.put("cassandra-2", 9.0);
    cpu.put("cassandra-3", 15L);
    cpu.put("session-5360", 12.0);
    cpu.put("nats-2", "unreadable");

    RunCpu run = RunCpu.from("r.json", RunReports.run(30, 40, true, cpu, 60));

    assertThat(run.coresByKind()).containsOnlyKeys("cassandra", "session");
    assertThat(run.coresByKind().get("cassandra")).isCloseTo(0.5, offset(1e-12));
    assertThat(run.coresByKind().get("session")).isCloseTo(0.2, offset(1e-12));
    assertThat(run.totalCores()).isCloseTo(0.7, offset(1e-12));
    assertThat(run.unreadable()).containsExactly("nats-2");
    assertThat(run.ackedPerSecond()).isEqualTo(30);
  }

  @Test
  void should_count_the_stores_commit_log_sync_apart_from_the_rest_of_the_store_when_the_report_has_thread_groups() {
    Map<String, Object> cpu = Map.of("cassandra-1", 12.0, "cassandra-2", 6.0, "session-7", 3.0);
    Map<String, Object> groups = Map.of(
        "cassandra-1", Map.of("store stage workers", 7.0, "COMMIT-LOG-WRIT", 3.0),
        "cassandra-2", Map.of("store stage workers", 5.0),
        "session-7", Map.of("COMMIT-LOG-WRIT", 1.0, "grpc-default-wo", 2.0));

    RunCpu run = RunCpu.from("r.json", RunReports.withThreadGroups(RunReports.run(30, 40, true, cpu, 60), groups));

    assertThat(run.coresByKind()).containsOnlyKeys("cassandra", "cassandra-commit-log-sync", "session");
    assertThat(run.coresByKind().get("cassandra-commit-log-sync")).as("node 2 lists no sync: it stays in the store")
        .isCloseTo(3.0 / 60, offset(1e-12));
    assertThat(run.coresByKind().get("cassandra")).isCloseTo(15.0 / 60, offset(1e-12));
    assertThat(run.syncApart()).isTrue();
    assertThat(run.withSyncFolded().coresByKind()).containsOnlyKeys("cassandra", "session");
    assertThat(run.withSyncFolded().coresByKind().get("cassandra")).isCloseTo(18.0 / 60, offset(1e-12));
    assertThat(run.coresByKind().get("session")).as("only the store's sync is split").isCloseTo(0.05, offset(1e-12));
    assertThat(run.totalCores()).isCloseTo(21.0 / 60, offset(1e-12));
  }

  @Test
  void should_keep_the_store_whole_when_the_report_has_no_thread_groups() {
    RunCpu run = RunCpu.from("old.json", RunReports.run(30, 40, true, Map.of("cassandra-1", 12.0), 60));

    assertThat(run.coresByKind()).containsOnlyKeys("cassandra");
    assertThat(run.coresByKind().get("cassandra")).isCloseTo(0.2, offset(1e-12));
    assertThat(run.syncApart()).isFalse();
  }

  @Test
  void should_never_take_more_sync_out_of_the_store_than_the_store_used() {
    // Thread and process ticks are read moments apart: a sync may come out a tick above its process.
    Map<String, Object> report = RunReports.withThreadGroups(RunReports.run(30, 40, true, Map.of("cassandra-1", 2.0),
        60), Map.of("cassandra-1", Map.of("COMMIT-LOG-WRIT", 2.01)));

    RunCpu run = RunCpu.from("r.json", report);

    assertThat(run.coresByKind().get("cassandra")).isZero();
    assertThat(run.coresByKind().get("cassandra-commit-log-sync")).isCloseTo(2.0 / 60, offset(1e-12));
  }

  @Test
  void should_hold_only_within_the_bound_with_its_checks_passed() {
    Map<String, Object> cpu = Map.of("web", 1.0);

    assertThat(RunCpu.from("a", RunReports.run(30, 50, true, cpu, 60)).held(50)).isTrue();
    assertThat(RunCpu.from("b", RunReports.run(30, 50.1, true, cpu, 60)).held(50)).isFalse();
    assertThat(RunCpu.from("c", RunReports.run(30, 20, false, cpu, 60)).held(50)).isFalse();
  }
}
