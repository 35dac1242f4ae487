package dev.messenger.common.cql;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/** Walks the pages of an asynchronous result without blocking a driver thread. */
public final class AsyncRows {
  private AsyncRows() {}

  /** Feeds each row to {@code consumer} until it returns false or the rows end. */
  public static CompletionStage<Void> forEach(CompletionStage<AsyncResultSet> first, Predicate<Row> consumer) {
    return first.thenCompose(page -> {
      for (Row row : page.currentPage()) {
        if (!consumer.test(row)) {
          return CompletableFuture.completedFuture(null);
        }
      }
      return page.hasMorePages() ? forEach(page.fetchNextPage(), consumer) : CompletableFuture.completedFuture(null);
    });
  }
}
