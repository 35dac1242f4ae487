package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AsyncCqlTest {
  @Test
  void should_keep_at_most_the_given_number_of_tasks_running_and_keep_result_order() {
    List<CompletableFuture<Integer>> pending = new ArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<Supplier<CompletionStage<Integer>>> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(() -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        CompletableFuture<Integer> future = new CompletableFuture<>();
        synchronized (pending) {
          pending.add(future);
        }
        return future;
      });
    }

    CompletableFuture<List<Integer>> all = AsyncCql.inParallel(tasks, 3).toCompletableFuture();
    for (int completed = 0; completed < 10; completed++) {
      CompletableFuture<Integer> next;
      synchronized (pending) {
        assertThat(pending).hasSize(completed + Math.min(3, 10 - completed));
        next = pending.get(completed);
      }
      running.decrementAndGet();
      next.complete(completed * 10);
    }

    await().until(all::isDone);
    assertThat(all.join()).containsExactly(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);
    assertThat(maxRunning.get()).isEqualTo(3);
  }

  @Test
  void should_fail_with_the_first_failure_and_start_nothing_more() {
    AtomicInteger started = new AtomicInteger();
    List<Supplier<CompletionStage<Integer>>> tasks = new ArrayList<>();
    tasks.add(() -> {
      started.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("boom"));
    });
    for (int i = 0; i < 5; i++) {
      tasks.add(() -> {
        started.incrementAndGet();
        return CompletableFuture.completedFuture(1);
      });
    }

    CompletableFuture<List<Integer>> all = AsyncCql.inParallel(tasks, 1).toCompletableFuture();

    assertThat(all).isCompletedExceptionally();
    assertThat(started.get()).isEqualTo(1);
  }

  @Test
  void should_complete_at_once_without_tasks() {
    assertThat(AsyncCql.inParallel(List.<Supplier<CompletionStage<Integer>>>of(), 4).toCompletableFuture().join())
        .isEmpty();
  }
}
