package dev.messenger.session;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Typing frames, passed on only when they tell the other members something: a start, a stop, or a refresh
 * of a start once {@link #REFRESH} has passed (receivers expire a start after 10 s without one). Apps send
 * "typing" on every keystroke; each frame passed on is a fan-out to every member's devices. A Connect
 * stream has one, keyed by conversation ({@link #perStream}); the unary call shares one per server, keyed by
 * device and conversation ({@link #perServer}). Remembers the most recently used keys only, and nothing
 * before its first frame.
 */
final class TypingWindow {
  static final Duration REFRESH = Duration.ofSeconds(5);
  static final int REMEMBERED_PER_STREAM = 64;
  static final int REMEMBERED_PER_SERVER = 16_384;

  private record Passed(boolean typing, long atNanos) {}

  private final LongSupplier nanoTime;
  private final int capacity;
  /** Allocated with the first frame: most streams never type. */
  private Map<String, Passed> passed;

  private TypingWindow(LongSupplier nanoTime, int capacity) {
    this.nanoTime = nanoTime;
    this.capacity = capacity;
  }

  static TypingWindow perStream(LongSupplier nanoTime) {
    return new TypingWindow(nanoTime, REMEMBERED_PER_STREAM);
  }

  static TypingWindow perServer(LongSupplier nanoTime) {
    return new TypingWindow(nanoTime, REMEMBERED_PER_SERVER);
  }

  /** The key of a unary call's frame: typing is windowed per device and conversation. */
  static String deviceKey(String userId, String deviceId, String conversationId) {
    return userId + '\n' + deviceId + '\n' + conversationId;
  }

  /** True when the frame is to be passed on to the other members. */
  synchronized boolean admit(String key, boolean typing) {
    if (passed == null) {
      passed = RecentKeys.map(capacity);
    }
    long now = nanoTime.getAsLong();
    Passed last = passed.get(key);
    boolean pass = last == null
        || last.typing() != typing
        || (typing && now - last.atNanos() >= REFRESH.toNanos());
    if (pass) {
      passed.put(key, new Passed(typing, now));
    }
    return pass;
  }
}
