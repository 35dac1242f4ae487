package dev.messenger.client;

import dev.messenger.api.v1.SessionServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Chooses a session server from a discovery answer: fewest streams, random among ties. */
final class ServerPicker {
  private final Random random;

  ServerPicker(Random random) {
    this.random = random;
  }

  /**
   * The address to connect to: the least loaded server other than {@code avoid} (the target whose last
   * stream failed before Welcome), or {@code fallback} when there is none.
   */
  String pick(List<SessionServer> servers, String avoid, String fallback) {
    List<SessionServer> best = new ArrayList<>();
    long fewest = Long.MAX_VALUE;
    for (SessionServer server : servers) {
      if (server.getAddress().isBlank() || server.getAddress().equals(avoid)) {
        continue;
      }
      long streams = Integer.toUnsignedLong(server.getStreams());
      if (streams < fewest) {
        best.clear();
        fewest = streams;
      }
      if (streams == fewest) {
        best.add(server);
      }
    }
    if (best.isEmpty()) {
      return fallback;
    }
    synchronized (random) {
      return best.get(random.nextInt(best.size())).getAddress();
    }
  }
}
