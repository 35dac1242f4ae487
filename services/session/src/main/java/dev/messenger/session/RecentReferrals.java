package dev.messenger.session;

import dev.messenger.api.v1.SessionServer;
import java.time.Duration;
import java.util.ArrayDeque;
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
 * count has risen by as much, oldest referrals first (counting it twice sent devices that had just been moved
 * back where they came from), or {@link #MEMORY} after it was made (the device went elsewhere, or arrived while
 * others left). Clients pick at random among the servers within the dead band of the fewest, so each of those
 * counts as getting an equal share of the device. Each session server's Discovery counts only its own referrals.
 */
final class RecentReferrals {
  /** A referred device has connected and been published well within this, or is not coming. */
  static final Duration MEMORY = Duration.ofSeconds(3);
  /** Referrals age in slots of this length: a few dozen per server at most, whatever the connect rate. */
  private static final long SLOT_NANOS = Duration.ofMillis(100).toNanos();

  private static final class Slot {
    final long startNanos;
    double devices;

    Slot(long startNanos) {
      this.startNanos = startNanos;
    }
  }

  private static final class Pending {
    final ArrayDeque<Slot> slots = new ArrayDeque<>();
    long lastPublished = -1;

    double devices() {
      double sum = 0;
      for (Slot slot : slots) {
        sum += slot.devices;
      }
      return sum;
    }

    void refer(double share, long nowNanos) {
      Slot newest = slots.peekLast();
      if (newest == null || nowNanos - newest.startNanos >= SLOT_NANOS) {
        newest = new Slot(nowNanos);
        slots.addLast(newest);
      }
      newest.devices += share;
    }

    /** The published count rose by {@code arrived}: that many of the oldest referrals are in it now. */
    void arrived(double arrived) {
      double left = arrived;
      while (left > 0 && !slots.isEmpty()) {
        Slot oldest = slots.peekFirst();
        double taken = Math.min(left, oldest.devices);
        oldest.devices -= taken;
        left -= taken;
        if (oldest.devices <= 1e-9) {
          slots.removeFirst();
        }
      }
    }

    void forgetOlderThan(long limitNanos) {
      while (!slots.isEmpty() && slots.peekFirst().startNanos - limitNanos < 0) {
        slots.removeFirst();
      }
    }
  }

  private final Map<String, Pending> byServer = new HashMap<>();

  /**
   * The live servers with their counts raised by the devices still pending for each, fewest first; records
   * this answer's referral.
   */
  synchronized List<SessionServer> answer(List<SessionServer> live, long nowNanos) {
    byServer.keySet().retainAll(live.stream().map(SessionServer::getServerId).toList());
    List<SessionServer> counted = live.stream()
        .map(server -> server.toBuilder().setStreams((int) Math.min(Integer.MAX_VALUE,
            streams(server) + Math.round(pendingFor(server, nowNanos).devices()))).build())
        .sorted(Comparator.comparingLong(RecentReferrals::streams).thenComparing(SessionServer::getServerId))
        .toList();
    List<SessionServer> choices = withinBandOfFewest(counted);
    for (SessionServer choice : choices) {
      byServer.get(choice.getServerId()).refer(1.0 / choices.size(), nowNanos);
    }
    return counted;
  }

  private Pending pendingFor(SessionServer server, long nowNanos) {
    Pending pending = byServer.computeIfAbsent(server.getServerId(), id -> new Pending());
    long published = streams(server);
    if (pending.lastPublished >= 0 && published > pending.lastPublished) {
      pending.arrived(published - pending.lastPublished);
    }
    pending.lastPublished = published;
    pending.forgetOlderThan(nowNanos - MEMORY.toNanos());
    return pending;
  }

  /** The servers a client picks among: within the rebalancing dead band of the fewest. */
  private static List<SessionServer> withinBandOfFewest(List<SessionServer> sortedFewestFirst) {
    if (sortedFewestFirst.isEmpty()) {
      return List.of();
    }
    long total = sortedFewestFirst.stream().mapToLong(RecentReferrals::streams).sum();
    long limit = streams(sortedFewestFirst.get(0)) + StreamMoves.deadBand(total / sortedFewestFirst.size());
    return sortedFewestFirst.stream().filter(server -> streams(server) <= limit).toList();
  }

  /** The proto's count is unsigned. */
  private static long streams(SessionServer server) {
    return Integer.toUnsignedLong(server.getStreams());
  }
}
