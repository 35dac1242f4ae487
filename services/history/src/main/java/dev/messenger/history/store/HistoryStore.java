package dev.messenger.history.store;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/**
 * The read side of the history store (the router module holds the write path) over one shared
 * {@link CqlSession}, with one set of metrics. The session stays the caller's: it is opened before and closed
 * after the store. The schema must exist ({@link HistorySchema#create}).
 */
public final class HistoryStore {
  private final HistoryReader reader;
  private final ReceiptStore receipts;

  private HistoryStore(HistoryReader reader, ReceiptStore receipts) {
    this.reader = reader;
    this.receipts = receipts;
  }

  /**
   * Prepares every statement (blocking, once at start) and registers the metrics in {@code registry} (shared
   * with other stores opened on the same registry).
   */
  public static HistoryStore open(CqlSession session, HistoryConfig config, PrometheusRegistry registry, Clock clock) {
    requireNonNull(session, "session");
    requireNonNull(config, "config");
    HistoryMetrics metrics = HistoryMetrics.of(requireNonNull(registry, "registry"));
    return new HistoryStore(
        new HistoryReader(session, config, metrics, requireNonNull(clock, "clock")),
        new ReceiptStore(session, config, metrics));
  }

  /**
   * Opens the store once the history service has created the schema, retrying until {@code timeout}: session
   * servers start in any order but never create the schema themselves.
   */
  public static HistoryStore openWhenReady(CqlSession session, HistoryConfig config, PrometheusRegistry registry,
      Clock clock, java.time.Duration timeout) throws InterruptedException {
    return whenSchemaReady(config, timeout, () -> open(session, config, registry, clock));
  }

  /**
   * Calls {@code open} (which prepares statements on the store's tables) until the schema exists, retrying
   * until {@code timeout}: routers and session servers start in any order but never create the schema.
   */
  public static <T> T whenSchemaReady(HistoryConfig config, java.time.Duration timeout,
      java.util.function.Supplier<T> open) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return open.get();
      } catch (com.datastax.oss.driver.api.core.servererrors.InvalidQueryException missingSchema) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the history schema in keyspace " + config.keyspace()
              + " does not exist; start the history service first", missingSchema);
        }
        Thread.sleep(500);
      }
    }
  }

  /** Conversation lists, pages and catch-up. */
  public HistoryReader reader() {
    return reader;
  }

  /** Delivered cursors and read markers. */
  public ReceiptStore receipts() {
    return receipts;
  }
}
