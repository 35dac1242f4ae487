package dev.messenger.push.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.Error;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PushStreamsRetryTest {
  @Test
  void should_try_again_after_a_request_that_timed_out() throws IOException {
    AtomicInteger tries = new AtomicInteger();

    PushStreams.ensureWithin(Duration.ofSeconds(5), Duration.ofMillis(1), () -> {
      if (tries.incrementAndGet() < 3) {
        throw new IOException("Timeout or no response waiting for NATS JetStream server");
      }
    });

    assertThat(tries).hasValue(3);
  }

  @Test
  void should_give_the_last_failure_once_the_deadline_passed() {
    AtomicInteger tries = new AtomicInteger();

    assertThatThrownBy(() -> PushStreams.ensureWithin(Duration.ofMillis(50), Duration.ofMillis(5), () -> {
      throw new IOException("attempt " + tries.incrementAndGet());
    })).isInstanceOf(IOException.class).hasMessage("attempt " + tries.get());
    assertThat(tries.get()).isGreaterThan(1);
  }

  @Test
  void should_try_again_while_a_starting_cluster_has_too_few_jetstream_peers() throws IOException {
    AtomicInteger tries = new AtomicInteger();
    IOException noPeersYet = new IOException("cannot create stream s: no suitable peers for placement",
        new JetStreamApiException(Error.JsBadRequestErr) {
          @Override
          public int getApiErrorCode() {
            return 10005;
          }
        });

    PushStreams.ensureWithin(Duration.ofSeconds(5), Duration.ofMillis(1), () -> {
      if (tries.incrementAndGet() < 3) {
        throw noPeersYet;
      }
    });

    assertThat(tries).hasValue(3);
  }

  @Test
  void should_not_wait_for_a_failure_jetstream_itself_reported() {
    AtomicInteger tries = new AtomicInteger();
    IOException refused = new IOException("cannot create stream s: bad request",
        new JetStreamApiException(Error.JsBadRequestErr));

    assertThatThrownBy(() -> PushStreams.ensureWithin(Duration.ofSeconds(5), Duration.ofMillis(1), () -> {
      tries.incrementAndGet();
      throw refused;
    })).isSameAs(refused);
    assertThat(tries).hasValue(1);
  }
}
