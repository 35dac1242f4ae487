package dev.messenger.session;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One stream's typing frames, passed on only when they tell the other members something: a start, a stop,
 * or a refresh of a start once {@link #REFRESH} has passed (receivers expire a start after 10 s without
 * one). Apps send "typing" on every keystroke; each frame passed on is a fan-out to every member's devices.
 * Remembers the last {@link #REMEMBERED} conversations of its stream, and nothing before its first frame.
 */
final class TypingWindow {
  static final Duration REFRESH = Duration.ofSeconds(5);
  static final int REMEMBERED = 64;

  private record Passed(boolean typing, long atNanos) {}

  private final LongSupplier nanoTime;
  /** Allocated with the first frame: most streams never type. */
  private Map<String, Passed> passed;

  TypingWindow(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** True when the frame is to be passed on to the other members. */
  synchronized boolean admit(String conversationId, boolean typing) {
    if (passed == null) {
      passed = RecentKeys.map(REMEMBERED);
    }
    long now = nanoTime.getAsLong();
    Passed last = passed.get(conversationId);
    boolean pass = last == null
        || last.typing() != typing
        || (typing && now - last.atNanos() >= REFRESH.toNanos());
    if (pass) {
      passed.put(conversationId, new Passed(typing, now));
    }
    return pass;
  }
}
