package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TypingWindowTest {
  private long now;
  private final TypingWindow window = TypingWindow.perStream(() -> now);

  @Test
  void should_pass_a_start_once_and_drop_the_keystrokes_after_it() {
    assertThat(window.admit("dm:a:b", true)).isTrue();
    for (int keystroke = 0; keystroke < 20; keystroke++) {
      advance(Duration.ofMillis(200));
      assertThat(window.admit("dm:a:b", true)).isFalse();
    }
  }

  @Test
  void should_refresh_a_start_after_five_seconds() {
    assertThat(window.admit("dm:a:b", true)).isTrue();
    advance(Duration.ofMillis(4_999));
    assertThat(window.admit("dm:a:b", true)).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(window.admit("dm:a:b", true)).isTrue();
  }

  @Test
  void should_pass_every_change_between_start_and_stop_and_drop_repeated_stops() {
    assertThat(window.admit("dm:a:b", true)).isTrue();
    assertThat(window.admit("dm:a:b", false)).isTrue();
    assertThat(window.admit("dm:a:b", false)).isFalse();
    assertThat(window.admit("dm:a:b", true)).isTrue();
  }

  @Test
  void should_pass_a_first_stop_and_keep_conversations_apart() {
    assertThat(window.admit("dm:a:b", false)).isTrue();
    assertThat(window.admit("dm:a:b", true)).isTrue();
    assertThat(window.admit("dm:a:c", true)).isTrue();
  }

  @Test
  void should_forget_the_least_recently_used_conversation_beyond_its_bound() {
    assertThat(window.admit("dm:a:first", true)).isTrue();
    for (int i = 0; i < TypingWindow.REMEMBERED_PER_STREAM; i++) {
      window.admit("dm:a:other" + i, true);
    }
    assertThat(window.admit("dm:a:first", true)).as("forgotten: passed again").isTrue();
    assertThat(window.admit("dm:a:other63", true)).as("remembered").isFalse();
  }

  @Test
  void should_keep_devices_apart_in_the_window_a_server_shares_for_unary_calls() {
    TypingWindow shared = TypingWindow.perServer(() -> now);
    String laptop = TypingWindow.deviceKey("alice", "laptop", "dm:alice:bob");
    String phone = TypingWindow.deviceKey("alice", "phone", "dm:alice:bob");

    assertThat(shared.admit(laptop, true)).isTrue();
    assertThat(shared.admit(laptop, true)).isFalse();
    assertThat(shared.admit(phone, true)).as("another device of the same user").isTrue();
    for (int i = 0; i < TypingWindow.REMEMBERED_PER_STREAM * 10; i++) {
      shared.admit(TypingWindow.deviceKey("user" + i, "d", "dm:x:y"), true);
    }
    assertThat(shared.admit(laptop, true)).as("a server remembers far more than a stream").isFalse();
  }

  private void advance(Duration duration) {
    now += duration.toNanos();
  }
}
