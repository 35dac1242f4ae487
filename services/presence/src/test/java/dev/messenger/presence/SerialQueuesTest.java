package dev.messenger.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SerialQueuesTest {
  private final SerialQueues queues = new SerialQueues();
  private final List<String> log = new CopyOnWriteArrayList<>();

  @Test
  void should_start_a_task_only_after_the_previous_task_of_its_key_completed() {
    CompletableFuture<Void> firstDone = new CompletableFuture<>();
    queues.submit("alice", () -> {
      log.add("alice-1 started");
      return firstDone;
    });
    queues.submit("alice", () -> {
      log.add("alice-2 started");
      return CompletableFuture.completedFuture(null);
    });
    queues.submit("bob", () -> {
      log.add("bob-1 started");
      return CompletableFuture.completedFuture(null);
    });

    assertThat(log).containsExactly("alice-1 started", "bob-1 started");
    assertThat(queues.pending()).isEqualTo(1);

    firstDone.complete(null);

    assertThat(log).containsExactly("alice-1 started", "bob-1 started", "alice-2 started");
    assertThat(queues.pending()).isZero();
  }

  @Test
  void should_go_on_after_a_failed_task() {
    queues.submit("alice", () -> CompletableFuture.failedFuture(new IllegalStateException("store down")));
    queues.submit("alice", () -> {
      throw new IllegalStateException("broken task");
    });
    CompletableFuture<Void> last = queues.submit("alice", () -> {
      log.add("alice-3 ran");
      return CompletableFuture.completedFuture(null);
    });

    assertThat(last).isCompleted();
    assertThat(log).containsExactly("alice-3 ran");
  }
}
