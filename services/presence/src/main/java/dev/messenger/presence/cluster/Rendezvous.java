package dev.messenger.presence.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;

/**
 * Highest-random-weight hashing: each partition goes to the instance with the highest score for it, so an
 * instance leaving moves only its own partitions and one joining takes about its share.
 */
final class Rendezvous {
  private Rendezvous() {}

  static Optional<String> owner(int partition, Collection<String> instances) {
    String best = null;
    long bestScore = 0;
    for (String instance : instances) {
      long score = score(instance, partition);
      if (best == null || score > bestScore || (score == bestScore && instance.compareTo(best) < 0)) {
        best = instance;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  static long score(String instance, int partition) {
    long h = 0xcbf29ce484222325L;
    for (byte b : instance.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= partition;
    h *= 0x100000001b3L;
    // Murmur3 finalizer: spread the bits so nearby partitions score independently.
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
