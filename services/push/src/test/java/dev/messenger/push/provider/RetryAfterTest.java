package dev.messenger.push.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void should_read_seconds_and_http_dates() {
    assertThat(RetryAfter.parse("3", clock)).contains(Duration.ofSeconds(3));
    assertThat(RetryAfter.parse("Wed, 02 Dec 2026 10:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
  }

  @Test
  void should_ignore_what_is_not_a_retry_after() {
    assertThat(RetryAfter.parse(null, clock)).isEqualTo(Optional.empty());
    assertThat(RetryAfter.parse("soon", clock)).isEmpty();
    assertThat(RetryAfter.parse("-1", clock)).isEmpty();
  }
}
