package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ShardFenceTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final InMemoryCommitLog log = new InMemoryCommitLog();
  private final List<Integer> fenced = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ShardFence fence = new ShardFence(log, executor, fenced::add);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void should_confirm_while_the_epoch_is_its_own() throws Exception {
    long epoch = fence.claim(3, "me").get(5, TimeUnit.SECONDS);
    assertThat(fence.confirm(3, epoch).get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(fence.confirm(3, epoch - 1).get(5, TimeUnit.SECONDS)).isFalse();
    assertThat(fence.confirm(4, epoch).get(5, TimeUnit.SECONDS)).as("a shard not held").isFalse();
  }

  @Test
  void should_refuse_and_give_the_shard_up_once_another_router_raised_the_epoch() throws Exception {
    long epoch = fence.claim(3, "me").get(5, TimeUnit.SECONDS);
    log.claimShard(3, "someone-else");
    assertThat(fence.confirm(3, epoch).get(5, TimeUnit.SECONDS)).isFalse();
    org.awaitility.Awaitility.await().until(() -> fenced.contains(3));
    assertThat(fence.epoch(3)).isEmpty();
  }

  @Test
  void should_share_one_epoch_read_between_writes_that_complete_together() throws Exception {
    long epoch = fence.claim(0, "me").get(5, TimeUnit.SECONDS);
    List<CompletableFuture<Boolean>> confirmations = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      confirmations.add(fence.confirm(0, epoch));
    }
    CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(confirmations).allSatisfy(c -> assertThat(c.join()).isTrue());
    assertThat(log.epochReads.get()).isLessThan(1000);
  }

  @Test
  void should_confirm_without_an_epoch_read_while_the_shard_key_is_certainly_held() throws Exception {
    ShardFence byLease = new ShardFence(log, executor, fenced::add, ShardFence.ConfirmationCounter.NONE, true);
    long epoch = byLease.claim(5, "me", () -> true).get(5, TimeUnit.SECONDS);
    int readsBefore = log.epochReads.get();
    for (int i = 0; i < 100; i++) {
      assertThat(byLease.confirm(5, epoch).get(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(log.epochReads.get()).isEqualTo(readsBefore);
    assertThat(byLease.confirm(5, epoch - 1).get(5, TimeUnit.SECONDS)).as("an older epoch").isFalse();
  }

  @Test
  void should_read_the_epoch_for_every_commit_unless_told_to_trust_the_lease() throws Exception {
    long epoch = fence.claim(5, "me", () -> true).get(5, TimeUnit.SECONDS);
    int readsBefore = log.epochReads.get();
    assertThat(fence.confirm(5, epoch).get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(log.epochReads.get()).isGreaterThan(readsBefore);
  }

  @Test
  void should_read_the_epoch_and_find_the_new_owner_once_the_key_is_no_longer_certain() throws Exception {
    ShardFence byLease = new ShardFence(log, executor, fenced::add, ShardFence.ConfirmationCounter.NONE, true);
    java.util.concurrent.atomic.AtomicBoolean certain = new java.util.concurrent.atomic.AtomicBoolean(true);
    long epoch = byLease.claim(3, "me", certain::get).get(5, TimeUnit.SECONDS);
    certain.set(false); // paused or cut off past half its lease; another router then took the shard
    log.claimShard(3, "someone-else");

    assertThat(byLease.confirm(3, epoch).get(5, TimeUnit.SECONDS)).isFalse();
    org.awaitility.Awaitility.await().until(() -> fenced.contains(3));
    assertThat(byLease.epoch(3)).isEmpty();
  }

  @Test
  void should_not_hold_a_shard_whose_key_may_have_expired_while_its_epoch_was_raised() {
    // A claimant paused mid-claim: by the time its raise lands, the key may be another router's, whose
    // lease-confirmed commits would then sit below this epoch without knowing it.
    CompletableFuture<Long> late = fence.claim(7, "me", () -> false);

    assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS)).hasMessageContaining("may have expired");
    assertThat(fence.epoch(7)).isEmpty();
  }

  @Test
  void should_refuse_waiting_confirmations_when_the_shard_is_released() throws Exception {
    long epoch = fence.claim(0, "me").get(5, TimeUnit.SECONDS);
    fence.release(0);
    assertThat(fence.confirm(0, epoch).get(5, TimeUnit.SECONDS)).isFalse();
  }
}
