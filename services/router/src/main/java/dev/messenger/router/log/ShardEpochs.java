package dev.messenger.router.log;

import dev.messenger.history.store.HistoryConfig;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code shard_epochs} table: the fencing token of each router shard. A router that takes a shard raises
 * its epoch with one conditional write (the only consensus round of the write path); log rows are then
 * written with the epoch as their write timestamp, and a commit counts only once a read of the epoch,
 * started after the write completed, still finds the router's own.
 */
final class ShardEpochs {
  private final CqlSession session;
  private final HistoryConfig config;
  private final PreparedStatement select;
  private final PreparedStatement insertFirst;
  private final PreparedStatement raise;

  ShardEpochs(CqlSession session, HistoryConfig config) {
    this.session = session;
    this.config = config;
    String table = config.table("shard_epochs");
    this.select = session.prepare("SELECT epoch FROM " + table + " WHERE shard = ?");
    this.insertFirst = session.prepare("INSERT INTO " + table + " (shard, epoch, owner) VALUES (?, 1, ?) IF NOT EXISTS");
    this.raise = session.prepare("UPDATE " + table + " SET epoch = ?, owner = ? WHERE shard = ? IF epoch = ?");
  }

  /** Raises the shard's epoch for {@code owner}; completes with the new epoch. Retries lost races. */
  CompletionStage<Long> claim(int shard, String owner) {
    return read(shard, config.serialConsistency())
        .thenCompose(current -> {
          Statement<?> claim = current == 0
              ? insertFirst.bind(shard, owner)
              : raise.bind(current + 1, owner, shard, current);
          return session.executeAsync(claim
                  .setConsistencyLevel(config.consistency())
                  .setSerialConsistencyLevel(config.serialConsistency()))
              .thenCompose(rs -> rs.wasApplied()
                  ? CompletableFuture.completedFuture(current + 1)
                  : claim(shard, owner));
        });
  }

  /** The shard's current epoch at QUORUM-class consistency (0 when never claimed). */
  CompletionStage<Long> current(int shard) {
    return read(shard, config.consistency());
  }

  private CompletionStage<Long> read(int shard, com.datastax.oss.driver.api.core.ConsistencyLevel level) {
    Statement<?> statement = select.bind(shard).setConsistencyLevel(level).setIdempotent(true);
    return session.executeAsync(statement).thenApply(rs -> {
      Row row = rs.one();
      return row == null || row.isNull("epoch") ? 0L : row.getLong("epoch");
    });
  }
}
