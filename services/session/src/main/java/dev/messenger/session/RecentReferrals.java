package dev.messenger.session;

import dev.messenger.api.v1.SessionServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices this Discovery sent to each server lately, added to the counts the servers published. A count is
 * published once a second and a directory read is reused for another, so in a connect ramp of hundreds of
 * devices a second every answer showed the same stale counts, the clients all picked the server that only
 * looked emptiest, and the servers then handed a third of them back and forth (SERVER_REBALANCING: a
 * reconnect and a catch-up each). Clients pick at random among the servers within the rebalancing dead band
 * of the fewest, so each of those is counted as getting an equal share of the device.
 */
final class RecentReferrals {
  /** A published count includes a device once it connected and the next count went out: within two seconds. */
  static final Duration MEMORY = Duration.ofSeconds(2);

  private record Referral(long atNanos, String serverId, double share) {}

  private final ArrayDeque<Referral> recent = new ArrayDeque<>();
  private final Map<String, Double> pending = new HashMap<>();

  /**
   * The live servers with their counts raised by the devices referred to them within {@link #MEMORY}, fewest
   * first; records this answer's referral.
   */
  synchronized List<SessionServer> answer(List<SessionServer> live, long nowNanos) {
    forgetOlderThan(nowNanos - MEMORY.toNanos());
    List<SessionServer> counted = live.stream()
        .map(server -> server.toBuilder().setStreams(server.getStreams()
            + (int) Math.round(pending.getOrDefault(server.getServerId(), 0.0))).build())
        .sorted(Comparator.comparingInt(SessionServer::getStreams).thenComparing(SessionServer::getServerId))
        .toList();
    List<SessionServer> choices = withinBandOfFewest(counted);
    for (SessionServer choice : choices) {
      Referral referral = new Referral(nowNanos, choice.getServerId(), 1.0 / choices.size());
      recent.addLast(referral);
      pending.merge(referral.serverId(), referral.share(), Double::sum);
    }
    return counted;
  }

  private void forgetOlderThan(long limitNanos) {
    while (!recent.isEmpty() && recent.peekFirst().atNanos() - limitNanos < 0) {
      Referral old = recent.removeFirst();
      pending.computeIfPresent(old.serverId(), (id, sum) -> sum - old.share() < 1e-9 ? null : sum - old.share());
    }
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
