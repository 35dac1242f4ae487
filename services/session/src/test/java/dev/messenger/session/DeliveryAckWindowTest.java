package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryAckWindowTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<String> recordedLater = new CopyOnWriteArrayList<>();
  private final DeliveryAckWindow window =
      new DeliveryAckWindow(scheduler, (conversation, upTo) -> recordedLater.add(conversation + "@" + upTo));

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void should_record_the_first_ack_at_once_and_merge_the_rest_of_the_window_into_one_later_write() {
    assertThat(window.admit("g:1", 1)).isTrue();
    for (long seq = 2; seq <= 40; seq++) {
      assertThat(window.admit("g:1", seq)).isFalse();
    }
    assertThat(window.admit("dm:a:b", 7)).as("another conversation has its own window").isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> recordedLater.contains("g:1@40"));
    await().atMost(Duration.ofSeconds(5)).until(() -> !window.isOpen("g:1") && !window.isOpen("dm:a:b"));
    assertThat(recordedLater).containsExactly("g:1@40");
  }

  @Test
  void should_record_at_once_again_after_a_quiet_window() {
    assertThat(window.admit("g:1", 1)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> !window.isOpen("g:1"));

    assertThat(window.admit("g:1", 2)).isTrue();
    assertThat(recordedLater).isEmpty();
  }
}
