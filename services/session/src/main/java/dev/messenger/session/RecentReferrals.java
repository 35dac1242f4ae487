package dev.messenger.session;

import dev.messenger.api.v1.SessionServer;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices this Discovery sent to each server that the server's published count does not show yet, added
 * to that count. A count is published once a second and a directory read is reused for another, so in a
 * connect ramp of hundreds of devices a second every answer showed the same stale counts, the clients all
 * picked the server that only looked emptiest, and the servers then handed the excess back and forth
 * (SERVER_REBALANCING: a reconnect and a catch-up each). A referral stops counting once the server's published
 * count has risen by as much (counting it twice sent devices that had just been moved back where they came
 * from), or {@link #MEMORY} after this Discovery last referred anyone there (the device went elsewhere).
 * Clients pick at random among the servers within the rebalancing dead band of the fewest, so each of those
 * is counted as getting an equal share of the device.
 */
final class RecentReferrals {
  /** A referred device has connected and been published well within this, or is not coming. */
  static final Duration MEMORY = Duration.ofSeconds(5);

  private static final class Pending {
    double devices;
    long lastReferralNanos;
    long lastPublished = -1;
  }

  private final Map<String, Pending> byServer = new HashMap<>();

  /**
   * The live servers with their counts raised by the devices still pending for each, fewest first; records
   * this answer's referral.
   */
  synchronized List<SessionServer> answer(List<SessionServer> live, long nowNanos) {
    List<SessionServer> counted = live.stream()
        .map(server -> server.toBuilder().setStreams(server.getStreams()
            + (int) Math.round(pendingFor(server, nowNanos).devices)).build())
        .sorted(Comparator.comparingInt(SessionServer::getStreams).thenComparing(SessionServer::getServerId))
        .toList();
    List<SessionServer> choices = withinBandOfFewest(counted);
    for (SessionServer choice : choices) {
      Pending pending = byServer.get(choice.getServerId());
      pending.devices += 1.0 / choices.size();
      pending.lastReferralNanos = nowNanos;
    }
    byServer.keySet().retainAll(live.stream().map(SessionServer::getServerId).toList());
    return counted;
  }

  private Pending pendingFor(SessionServer server, long nowNanos) {
    Pending pending = byServer.computeIfAbsent(server.getServerId(), id -> new Pending());
    long published = Integer.toUnsignedLong(server.getStreams());
    if (pending.lastPublished >= 0 && published > pending.lastPublished) {
      pending.devices = Math.max(0, pending.devices - (published - pending.lastPublished));
    }
    pending.lastPublished = published;
    if (nowNanos - pending.lastReferralNanos > MEMORY.toNanos()) {
      pending.devices = 0;
    }
    return pending;
  }

  /** The servers a client picks among: the same band the servers rebalance by. */
  private static List<SessionServer> withinBandOfFewest(List<SessionServer> sortedFewestFirst) {
    if (sortedFewestFirst.isEmpty()) {
      return List.of();
    }
    long total = sortedFewestFirst.stream().mapToLong(SessionServer::getStreams).sum();
    long band = Math.max(StreamMoves.REBALANCE_DEAD_BAND, total / sortedFewestFirst.size() / 20);
    long limit = sortedFewestFirst.get(0).getStreams() + band;
    return sortedFewestFirst.stream().filter(server -> server.getStreams() <= limit).toList();
  }
}
