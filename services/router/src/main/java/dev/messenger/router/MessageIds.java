package dev.messenger.router;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;

/**
 * Time-sortable unique message ids in the ULID format: 48 bits of milliseconds and 80 random bits, in
 * Crockford base32 (26 characters). Monotonic within one generator: ids made in the same millisecond
 * increase by incrementing the random part.
 */
final class MessageIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final Random random;
  private long lastMillis = -1;
  private long randomHigh; // 16 bits
  private long randomLow; // 64 bits

  MessageIds(Clock clock) {
    this(clock, new SecureRandom());
  }

  MessageIds(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  synchronized String next() {
    long millis = Math.max(clock.millis(), lastMillis);
    if (millis == lastMillis) {
      randomLow++;
      if (randomLow == 0) {
        randomHigh = (randomHigh + 1) & 0xFFFF;
      }
    } else {
      lastMillis = millis;
      randomHigh = random.nextInt(1 << 16);
      randomLow = random.nextLong();
    }
    return encode(millis, randomHigh, randomLow);
  }

  static String encode(long millis, long high16, long low64) {
    char[] out = new char[26];
    // 10 characters of time (50 bits, top 2 are zero for 48-bit time).
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (millis & 31)];
      millis >>>= 5;
    }
    // 16 characters of randomness: 80 bits = high16 followed by low64.
    long low = low64;
    long high = high16;
    for (int i = 25; i >= 10; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low = (low >>> 5) | ((high & 31) << 59);
      high >>>= 5;
    }
    return new String(out);
  }
}
