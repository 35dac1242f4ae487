package dev.messenger.presence.client;

import dev.messenger.common.Subjects;
import java.nio.charset.StandardCharsets;

/**
 * How users are spread over presence partitions, and the NATS subject of each partition. Session servers
 * and presence instances must use the same partition count.
 */
public final class PresencePartitions {
  /** The default number of partitions. */
  public static final int DEFAULT_COUNT = 64;

  private PresencePartitions() {}

  /** The partition of a user among {@code count}: FNV-1a of the UTF-8 user id, stable across releases. */
  public static int of(String userId, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("partition count must be positive: " + count);
    }
    int hash = 0x811c9dc5;
    for (byte b : userId.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return Math.floorMod(hash, count);
  }

  /** Where reports about users of {@code partition} go ({@code <ns>.presence.<n>}); only its owner listens. */
  public static String subject(Subjects subjects, int partition) {
    return subjects.namespace() + ".presence." + partition;
  }
}
