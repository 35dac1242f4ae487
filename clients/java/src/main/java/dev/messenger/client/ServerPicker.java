package dev.messenger.client;

import dev.messenger.api.v1.SessionServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chooses a session server from a discovery answer: at random among those whose stream count is within a
 * band of the fewest. The counts are a second or two old, so strictly "fewest" sends every device of a ramp
 * to the same server until the next count is published, and the servers then hand the excess back and forth
 * (SERVER_REBALANCING). The band is the servers' own: a difference they would not rebalance is no reason to
 * prefer one.
 */
final class ServerPicker {
  /** The session servers' rebalancing dead band: this many streams, or 5% of a server's share. */
  static final int BAND_STREAMS = 10;

  private final Random random;

  ServerPicker(Random random) {
    this.random = random;
  }

  /**
   * The address to connect to: one of the least loaded servers other than {@code avoid} (the target whose
   * last stream failed before Welcome), or {@code fallback} when there is none.
   */
  String pick(List<SessionServer> servers, String avoid, String fallback) {
    List<SessionServer> usable = new ArrayList<>();
    long fewest = Long.MAX_VALUE;
    long total = 0;
    for (SessionServer server : servers) {
      if (server.getAddress().isBlank() || server.getAddress().equals(avoid)) {
        continue;
      }
      long streams = Integer.toUnsignedLong(server.getStreams());
      usable.add(server);
      fewest = Math.min(fewest, streams);
      total += streams;
    }
    if (usable.isEmpty()) {
      return fallback;
    }
    long band = Math.max(BAND_STREAMS, total / usable.size() / 20);
    long limit = fewest + band;
    List<SessionServer> near = usable.stream()
        .filter(server -> Integer.toUnsignedLong(server.getStreams()) <= limit).toList();
    synchronized (random) {
      return near.get(random.nextInt(near.size())).getAddress();
    }
  }
}
