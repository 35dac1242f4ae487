package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LivenessTableTest {
  private static final Duration LIMIT = Duration.ofMillis(1500);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final LivenessTable table = new LivenessTable(LIMIT, now::get);

  private void advance(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void should_call_a_server_silent_once_it_missed_the_limit() {
    table.heard("s-1");
    advance(1500);
    assertThat(table.isSilent("s-1")).isFalse();

    advance(1);
    assertThat(table.isSilent("s-1")).isTrue();

    table.heard("s-1");
    assertThat(table.isSilent("s-1")).isFalse();
  }

  @Test
  void should_judge_no_one_before_it_has_listened_for_the_limit() {
    advance(1000);
    assertThat(table.isSilent("never-heard")).isFalse();

    advance(501);
    assertThat(table.isSilent("never-heard")).isTrue();
  }

  @Test
  void should_judge_no_one_for_a_limit_after_listening_again() {
    table.heard("s-1");
    advance(5000);
    assertThat(table.isSilent("s-1")).isTrue();

    table.listenAgain();
    advance(1000);
    assertThat(table.isSilent("s-1")).isFalse();
    advance(501);
    assertThat(table.isSilent("s-1")).isTrue();
  }

  @Test
  void should_forget_servers_long_gone() {
    table.heard("old");
    advance(30_000);
    table.heard("new");
    advance(40_000);

    table.forgetSilentFor(Duration.ofMinutes(1));

    assertThat(table.size()).isEqualTo(1);
  }
}
