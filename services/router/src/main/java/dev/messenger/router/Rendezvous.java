package dev.messenger.router;

import java.util.Collection;
import java.util.Optional;

/** Highest-random-weight hashing: every router computes the same owner for a shard from the same set. */
final class Rendezvous {
  private Rendezvous() {}

  static Optional<String> owner(int shard, Collection<String> routers) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    for (String router : routers) {
      long score = mix(router.hashCode() * 0x9E3779B97F4A7C15L + shard);
      if (best == null || score > bestScore || (score == bestScore && router.compareTo(best) < 0)) {
        best = router;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
