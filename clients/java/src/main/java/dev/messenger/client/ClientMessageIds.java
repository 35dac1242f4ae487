package dev.messenger.client;

import java.time.Clock;
import java.util.Random;

/**
 * Makes client message ids: 26 characters of Crockford base32, 48 bits of milliseconds then 80 random
 * bits (the ULID layout), so ids sort by creation time and never collide in practice.
 */
final class ClientMessageIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private final Clock clock;
  private final Random random;

  ClientMessageIds(Clock clock, Random random) {
    this.clock = clock;
    this.random = random;
  }

  String next() {
    char[] out = new char[26];
    long time = clock.millis();
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (time & 31)];
      time >>>= 5;
    }
    long high;
    long low;
    synchronized (random) {
      high = random.nextLong() & 0xFFFFL; // 16 bits
      low = random.nextLong(); // 64 bits
    }
    for (int i = 25; i >= 10; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low = (low >>> 5) | ((high & 31) << 59);
      high >>>= 5;
    }
    return new String(out);
  }
}
