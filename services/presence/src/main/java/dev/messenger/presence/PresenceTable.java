package dev.messenger.presence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The presence state machine of one partition: the live streams of its users and what was last published
 * for each, with the grace period and online delay between them. Time is passed in (milliseconds), so the
 * logic is tested without clocks or sleeps. Not thread-safe.
 *
 * <p>A user is <em>live</em> while at least one stream is live; a stream is live until it ends, its server
 * goes, or its expiry passes without a refresh. A live user is published online once live for the online
 * delay; a published user is published offline once not live for the grace period (and not before the
 * warm-up after takeover has passed). Anything shorter never shows: flaps are coalesced, and a change is
 * published only when the state after the delay differs from the last one published.
 */
final class PresenceTable {
  private static final long NONE = Long.MIN_VALUE;

  private final long graceMs;
  private final long onlineDelayMs;
  private final long offlineNotBefore;
  private final Map<String, Entry> users = new HashMap<>();
  private final PriorityQueue<Due> due = new PriorityQueue<>();
  private int publishedOnline;

  /**
   * A table taking over a partition at {@code now}, in which {@code publishedOnline} users were last
   * published online (by this or an earlier owner). They go offline unless a stream of theirs is reported
   * before the warm-up and grace period have passed.
   */
  PresenceTable(PresenceTimings timings, long now, Collection<String> publishedOnline) {
    this.graceMs = timings.grace().toMillis();
    this.onlineDelayMs = timings.onlineDelay().toMillis();
    this.offlineNotBefore = now + timings.warmup().toMillis();
    for (String userId : publishedOnline) {
      Entry entry = users.computeIfAbsent(userId, u -> new Entry());
      if (!entry.published) {
        entry.published = true;
        this.publishedOnline++;
        schedule(userId, entry, now);
      }
    }
  }

  /** The stream is live until {@code expiresAt} unless refreshed (reported live again) or ended. */
  void streamLive(String userId, StreamRef stream, long expiresAt, long now) {
    Entry entry = users.computeIfAbsent(userId, u -> new Entry());
    boolean wasLive = entry.liveAt(now);
    Long previous = entry.streams.put(stream, expiresAt);
    if (!wasLive && expiresAt > now) {
      entry.liveSince = now;
      entry.goneSince = NONE;
    }
    schedule(userId, entry, previous == null ? now : expiresAt);
  }

  void streamEnded(String userId, StreamRef stream, long now) {
    Entry entry = users.get(userId);
    if (entry != null && entry.streams.remove(stream) != null) {
      entry.noteEnd(now);
      schedule(userId, entry, now);
    }
  }

  /** Every stream held by the server ends (the server died or left). */
  void serverGone(String serverId, long now) {
    users.forEach((userId, entry) -> {
      if (entry.streams.keySet().removeIf(stream -> stream.serverId().equals(serverId))) {
        entry.noteEnd(now);
        schedule(userId, entry, now);
      }
    });
  }

  /** Applies everything due by {@code now} and returns the changes to publish, in the order decided. */
  List<PresenceChange> advance(long now) {
    List<PresenceChange> changes = new ArrayList<>();
    while (!due.isEmpty() && due.peek().at <= now) {
      Due next = due.poll();
      Entry entry = users.get(next.userId);
      if (entry == null || entry.scheduledAt != next.at) {
        continue; // superseded by an earlier check
      }
      entry.scheduledAt = Long.MAX_VALUE;
      evaluate(next.userId, entry, now, changes);
    }
    return changes;
  }

  /** Users of this partition last published online. */
  int publishedOnline() {
    return publishedOnline;
  }

  boolean isPublishedOnline(String userId) {
    Entry entry = users.get(userId);
    return entry != null && entry.published;
  }

  /** Users tracked: live, published online, or on their way between. */
  int trackedUsers() {
    return users.size();
  }

  private void evaluate(String userId, Entry entry, long now, List<PresenceChange> changes) {
    long nextCheck = Long.MAX_VALUE;
    long lastExpiry = NONE;
    Iterator<Long> expiries = entry.streams.values().iterator();
    while (expiries.hasNext()) {
      long expiresAt = expiries.next();
      if (expiresAt <= now) {
        expiries.remove();
        lastExpiry = Math.max(lastExpiry, expiresAt);
      } else {
        nextCheck = Math.min(nextCheck, expiresAt);
      }
    }
    boolean live = !entry.streams.isEmpty();
    if (!live && lastExpiry != NONE) {
      entry.noteEnd(lastExpiry);
    }
    if (live) {
      entry.goneSince = NONE;
      if (entry.liveSince == NONE) {
        entry.liveSince = now;
      }
      if (!entry.published) {
        long at = entry.liveSince + onlineDelayMs;
        if (now >= at) {
          entry.published = true;
          publishedOnline++;
          changes.add(PresenceChange.online(userId));
        } else {
          nextCheck = Math.min(nextCheck, at);
        }
      }
    } else {
      entry.liveSince = NONE;
      if (entry.goneSince == NONE) {
        entry.goneSince = now;
      }
      if (entry.published) {
        long at = Math.max(entry.goneSince + graceMs, offlineNotBefore);
        if (now >= at) {
          entry.published = false;
          publishedOnline--;
          changes.add(PresenceChange.offline(userId, entry.goneSince));
        } else {
          nextCheck = Math.min(nextCheck, at);
        }
      }
      if (!entry.published) {
        users.remove(userId);
        return;
      }
    }
    if (nextCheck != Long.MAX_VALUE) {
      schedule(userId, entry, nextCheck);
    }
  }

  private void schedule(String userId, Entry entry, long at) {
    if (at < entry.scheduledAt) {
      entry.scheduledAt = at;
      due.add(new Due(at, userId));
    }
  }

  private static final class Entry {
    final Map<StreamRef, Long> streams = new HashMap<>(4);
    boolean published;
    /** When the user last became live (NONE while not live). */
    long liveSince = NONE;
    /** When the user's last stream went (NONE while live or never seen). */
    long goneSince = NONE;
    long scheduledAt = Long.MAX_VALUE;

    boolean liveAt(long now) {
      for (long expiresAt : streams.values()) {
        if (expiresAt > now) {
          return true;
        }
      }
      return false;
    }

    /** A stream ended at {@code at}; if none is left, the user is gone since then. */
    void noteEnd(long at) {
      if (!liveAt(at) && goneSince == NONE) {
        goneSince = at;
        liveSince = NONE;
      }
    }
  }

  private record Due(long at, String userId) implements Comparable<Due> {
    @Override
    public int compareTo(Due other) {
      return Long.compare(at, other.at);
    }
  }
}
