package dev.messenger.history.store;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Packs row writes into few requests. Each {@link Rows} is one partition's writes of one table; small ones of
 * several partitions share an unlogged batch (one request, applied per partition, no ordering between them)
 * while it stays under Cassandra's multi-partition batch warnings (5 KiB, 10 partitions); a large one goes
 * alone, as a single-partition batch, which those limits do not apply to. A 1:1 message's projection then
 * takes three requests instead of eight: requests, not rows, are most of a small write's cost in the store.
 */
public final class RowBatches {
  static final int MAX_SHARED_BYTES = 4 * 1024;
  static final int MAX_SHARED_PARTITIONS = 10;

  private RowBatches() {}

  /** Writes to one partition of {@code table}; {@code bytes} estimates their size. */
  public record Rows(String table, List<BatchableStatement<?>> statements, int bytes) {
    public Rows {
      statements = List.copyOf(statements);
      if (statements.isEmpty()) {
        throw new IllegalArgumentException("no statement");
      }
    }

    public static Rows of(String table, BatchableStatement<?> statement, int bytes) {
      return new Rows(table, List.of(statement), bytes);
    }
  }

  /** One request and the rows it writes per table. */
  public record Request(Statement<?> statement, Map<String, Integer> rowsByTable) {}

  public static List<Request> pack(List<Rows> all) {
    List<Request> requests = new ArrayList<>();
    List<Rows> shared = new ArrayList<>();
    int sharedBytes = 0;
    for (Rows rows : all) {
      if (rows.bytes() > MAX_SHARED_BYTES) {
        requests.add(request(List.of(rows)));
        continue;
      }
      if (sharedBytes + rows.bytes() > MAX_SHARED_BYTES || shared.size() == MAX_SHARED_PARTITIONS) {
        requests.add(request(shared));
        shared = new ArrayList<>();
        sharedBytes = 0;
      }
      shared.add(rows);
      sharedBytes += rows.bytes();
    }
    if (!shared.isEmpty()) {
      requests.add(request(shared));
    }
    return requests;
  }

  /**
   * Sends the requests (at most {@link AsyncCql#MAX_IN_FLIGHT} at once), idempotent at {@code consistency};
   * {@code written} hears of each one done.
   */
  public static CompletionStage<Void> send(CqlSession session, ConsistencyLevel consistency, List<Request> requests,
      Consumer<Request> written) {
    List<Supplier<CompletionStage<?>>> tasks = new ArrayList<>(requests.size());
    for (Request request : requests) {
      tasks.add(() -> session
          .executeAsync(request.statement().setConsistencyLevel(consistency).setIdempotent(true))
          .thenRun(() -> written.accept(request)));
    }
    return AsyncCql.allOf(tasks, AsyncCql.MAX_IN_FLIGHT);
  }

  private static Request request(List<Rows> group) {
    Map<String, Integer> rowsByTable = new LinkedHashMap<>();
    List<BatchableStatement<?>> statements = new ArrayList<>();
    for (Rows rows : group) {
      rowsByTable.merge(rows.table(), rows.statements().size(), Integer::sum);
      statements.addAll(rows.statements());
    }
    if (statements.size() == 1) {
      return new Request(statements.get(0), rowsByTable);
    }
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    statements.forEach(batch::addStatement);
    return new Request(batch.build(), rowsByTable);
  }
}
