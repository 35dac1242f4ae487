package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class FlowControlTest {
  private static final int WINDOW = 8;
  private static final int TOTAL = 500;

  private final ClientHarness harness = new ClientHarness();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger processed = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();

  @AfterEach
  void tearDown() {
    release.countDown();
    harness.close();
  }

  /** Pushes deliveries while the client's flow-control window lets the server write. */
  private void pushWhileReady(FakeStream stream) {
    while (sent.get() < TOTAL && stream.isReady()) {
      stream.deliver("c1", sent.incrementAndGet());
    }
  }

  @Test
  void should_hold_the_server_back_while_the_listener_is_slow() {
    MessengerListener slow = new MessengerListener() {
      @Override
      public void onMessage(Message message) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        processed.incrementAndGet();
      }
    };
    harness.start(harness.builder().listener(slow).flowControlWindow(WINDOW));
    await().until(() -> !harness.server.streams().isEmpty()
        && !harness.server.stream(0).frames().isEmpty());
    FakeStream stream = harness.server.stream(0).welcome();

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> {
      pushWhileReady(stream);
      return sent.get() <= WINDOW;
    });
    assertThat(sent.get()).isEqualTo(WINDOW);

    release.countDown();
    await().pollInterval(Duration.ofMillis(5)).until(() -> {
      pushWhileReady(stream);
      return processed.get() == TOTAL;
    });
  }
}
