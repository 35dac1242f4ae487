package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowBatchesTest {
  private static RowBatches.Rows rows(String table, int statements, int bytes) {
    List<com.datastax.oss.driver.api.core.cql.BatchableStatement<?>> list = new ArrayList<>();
    for (int i = 0; i < statements; i++) {
      list.add(SimpleStatement.newInstance("INSERT INTO " + table + " (k) VALUES (" + i + ")"));
    }
    return new RowBatches.Rows(table, list, bytes);
  }

  @Test
  void should_put_the_small_rows_of_a_one_to_one_message_into_one_request() {
    List<RowBatches.Request> requests = RowBatches.pack(List.of(
        rows("client_ids", 1, 160), rows("user_messages", 1, 400), rows("user_messages", 1, 400)));

    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).statement()).isInstanceOf(BatchStatement.class);
    assertThat(((BatchStatement) requests.get(0).statement()).size()).isEqualTo(3);
    assertThat(requests.get(0).rowsByTable()).isEqualTo(Map.of("client_ids", 1, "user_messages", 2));
  }

  @Test
  void should_keep_shared_batches_under_the_stores_size_and_partition_warnings() {
    List<RowBatches.Rows> members = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      members.add(rows("user_messages", 1, 300));
    }

    List<RowBatches.Request> requests = RowBatches.pack(members);

    assertThat(requests).hasSize(50);
    assertThat(requests).allSatisfy(r -> assertThat(((BatchStatement) r.statement()).size())
        .isLessThanOrEqualTo(RowBatches.MAX_SHARED_PARTITIONS));
    assertThat(requests.stream().mapToInt(r -> r.rowsByTable().get("user_messages")).sum()).isEqualTo(500);
  }

  @Test
  void should_send_a_large_partition_alone_with_all_its_rows_and_go_on_packing_the_rest() {
    List<RowBatches.Request> requests = RowBatches.pack(List.of(
        rows("user_messages", 1, 3000), rows("user_messages", 3, 300_000), rows("user_messages", 1, 2000)));

    assertThat(requests).hasSize(3);
    assertThat(((BatchStatement) requests.get(0).statement()).size()).isEqualTo(3);
    assertThat(requests.get(0).rowsByTable()).containsEntry("user_messages", 3);
    assertThat(requests.get(1).statement()).isInstanceOf(SimpleStatement.class);
    assertThat(requests.get(2).statement()).isInstanceOf(SimpleStatement.class);
  }
}
