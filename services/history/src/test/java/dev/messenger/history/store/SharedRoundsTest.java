package dev.messenger.history.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class SharedRoundsTest {
  /** Records each round it is asked to send and completes it when the test says so. */
  private static final class Store {
    final List<List<RowBatches.Rows>> rounds = new ArrayList<>();
    final List<CompletableFuture<Void>> answers = new ArrayList<>();

    synchronized CompletionStage<Void> send(List<RowBatches.Rows> rows) {
      rounds.add(List.copyOf(rows));
      CompletableFuture<Void> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    synchronized int sent() {
      return rounds.size();
    }
  }

  private static List<RowBatches.Rows> step(String conversation) {
    return List.of(RowBatches.Rows.of("user_messages",
        SimpleStatement.newInstance("INSERT INTO user_messages (conversation_id) VALUES ('" + conversation + "')"), 300));
  }

  @Test
  void should_send_a_step_at_once_while_the_store_is_not_busy() {
    Store store = new Store();
    SharedRounds rounds = new SharedRounds(2, store::send);

    CompletableFuture<Void> a = rounds.write(step("a")).toCompletableFuture();
    CompletableFuture<Void> b = rounds.write(step("b")).toCompletableFuture();

    assertThat(store.rounds).hasSize(2).allSatisfy(r -> assertThat(r).hasSize(1));
    store.answers.get(1).complete(null);
    assertThat(b).isCompleted();
    assertThat(a).isNotCompleted();
  }

  @Test
  void should_send_what_waited_behind_busy_rounds_together_in_the_next_one() {
    Store store = new Store();
    SharedRounds rounds = new SharedRounds(2, store::send);
    rounds.write(step("a"));
    rounds.write(step("b"));

    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (String c : List.of("c", "d", "e")) {
      waiting.add(rounds.write(step(c)).toCompletableFuture());
    }
    assertThat(store.rounds).hasSize(2);

    store.answers.get(0).complete(null);

    assertThat(store.rounds).hasSize(3);
    assertThat(store.rounds.get(2)).hasSize(3);
    store.answers.get(2).complete(null);
    assertThat(waiting).allSatisfy(w -> assertThat(w).isCompleted());
  }

  @Test
  void should_fail_every_step_of_a_failed_round_and_go_on_with_the_next() {
    Store store = new Store();
    SharedRounds rounds = new SharedRounds(2, store::send);
    rounds.write(step("a"));
    rounds.write(step("b"));
    CompletableFuture<Void> c = rounds.write(step("c")).toCompletableFuture();
    CompletableFuture<Void> d = rounds.write(step("d")).toCompletableFuture();
    store.answers.get(0).complete(null);

    store.answers.get(2).completeExceptionally(new IllegalStateException("timeout"));

    assertThat(c).isCompletedExceptionally();
    assertThat(d).isCompletedExceptionally();
    CompletableFuture<Void> e = rounds.write(step("e")).toCompletableFuture();
    assertThat(store.rounds).hasSize(4);
    store.answers.get(3).complete(null);
    assertThat(e).isCompleted();
  }

  @Test
  void should_gather_writes_for_the_linger_before_a_round_starts_even_with_the_store_idle() {
    Store store = new Store();
    SharedRounds rounds = new SharedRounds(1, Duration.ofMillis(500), store::send);

    List<CompletableFuture<Void>> written = new ArrayList<>();
    for (String c : List.of("a", "b", "c")) {
      written.add(rounds.write(step(c)).toCompletableFuture());
    }
    assertThat(store.rounds).isEmpty();

    await().atMost(Duration.ofSeconds(5)).until(() -> store.sent() == 1);
    assertThat(store.rounds.get(0)).hasSize(3);
    store.answers.get(0).complete(null);
    assertThat(written).allSatisfy(w -> assertThat(w).isCompleted());

    CompletableFuture<Void> later = rounds.write(step("d")).toCompletableFuture();
    await().atMost(Duration.ofSeconds(5)).until(() -> store.sent() == 2);
    store.answers.get(1).complete(null);
    assertThat(later).isCompleted();
  }
}
