package dev.messenger.loadgen.presence;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The accounting of a presence churn run: which transitions of the churning users watchers should see,
 * and what each watcher saw. Times are nanoseconds of one monotonic clock, passed in. Thread-safe.
 *
 * <p>A connect after a long offline hold and a disconnect followed by a long offline hold are visible: each
 * watcher of the user should get exactly one notification of it, in order. A blip (a disconnect and its
 * reconnect shorter than the grace period) is invisible: any notification it causes is unexpected. A
 * notification is matched to the next visible transition of its (watcher, user) pair with the same state;
 * transitions it jumps over count as missing. The first notification of a pair, and the first after the
 * watcher reconnected, may be the answer to its watch (the current state) instead.
 */
final class PresenceLedger {
  /** What a churning user did. */
  enum Kind {
    CONNECT(true, true),
    DISCONNECT(false, true),
    BLIP_DISCONNECT(false, false),
    BLIP_RECONNECT(true, false);

    final boolean online;
    final boolean visible;

    Kind(boolean online, boolean visible) {
      this.online = online;
      this.visible = visible;
    }
  }

  private static final int SAMPLES = 10;
  private static final int HISTORY = 4;
  private static final long MAX_MICROS = 3_600_000_000L;

  private final List<String> churnerIds;
  private final Map<String, Integer> churnerIndex = new HashMap<>();
  private final List<List<Expect>> visible = new ArrayList<>();
  private final List<Deque<String>> history = new ArrayList<>();
  private final Map<Long, Pair> pairs = new HashMap<>();
  private final Map<Integer, List<Pair>> pairsByWatcher = new HashMap<>();
  private final boolean[] retired;
  private final long[] blipStartedAt;
  private final long onlineDelayNanos;
  private final long graceNanos;
  private final long marginNanos;
  private final Histogram onlineMicros = new Histogram(MAX_MICROS, 3);
  private final Histogram offlineMicros = new Histogram(MAX_MICROS, 3);
  private final long[] measuredByKind = new long[Kind.values().length];
  private final List<String> unexpectedSamples = new ArrayList<>();
  private long epoch;
  private long windowFrom = Long.MAX_VALUE;
  private long windowTo = Long.MAX_VALUE;
  private long transitions;
  private long lastTransitionAt = Long.MIN_VALUE;
  private long frames;
  private long windowFrames;
  private long answers;
  private long received;
  private long outsideWindow;
  private long unexpected;
  private long ignored;
  private long early;
  private long maxBlipGap;
  private long blipOverruns;

  /**
   * @param churnerIds the churning users, by index
   * @param onlineDelayNanos the configured online delay, for the figures net of it and the early check
   * @param graceNanos the configured grace period, likewise, and to flag blips that came back too late
   * @param marginNanos how far from the configured delays a hold or a latency must stay to be unambiguous
   */
  PresenceLedger(List<String> churnerIds, long onlineDelayNanos, long graceNanos, long marginNanos) {
    this.churnerIds = List.copyOf(churnerIds);
    for (int i = 0; i < this.churnerIds.size(); i++) {
      churnerIndex.put(this.churnerIds.get(i), i);
      visible.add(new ArrayList<>());
      history.add(new ArrayDeque<>(HISTORY));
    }
    this.retired = new boolean[this.churnerIds.size()];
    this.blipStartedAt = new long[this.churnerIds.size()];
    this.onlineDelayNanos = onlineDelayNanos;
    this.graceNanos = graceNanos;
    this.marginNanos = marginNanos;
  }

  /** The watcher watches these churning users (by index); the first notification may be the answer. */
  synchronized void watch(int watcher, int[] churners) {
    for (int churner : churners) {
      Pair pair = pairs.computeIfAbsent(key(watcher, churner), k -> new Pair(churner));
      pair.answerDue = true;
      pairsByWatcher.computeIfAbsent(watcher, w -> new ArrayList<>()).add(pair);
    }
  }

  /** Transitions in [from, to) are measured; times in samples are shown relative to {@code epoch}. */
  synchronized void window(long epoch, long from, long to) {
    this.epoch = epoch;
    this.windowFrom = from;
    this.windowTo = to;
  }

  synchronized void transition(int churner, Kind kind, long at) {
    transitions++;
    lastTransitionAt = Math.max(lastTransitionAt, at);
    boolean measured = inWindow(at);
    if (measured) {
      measuredByKind[kind.ordinal()]++;
    }
    Deque<String> recent = history.get(churner);
    if (recent.size() == HISTORY) {
      recent.removeFirst();
    }
    recent.addLast(kind + "@" + seconds(at));
    if (kind == Kind.BLIP_DISCONNECT) {
      blipStartedAt[churner] = at;
    } else if (kind == Kind.BLIP_RECONNECT) {
      long gap = at - blipStartedAt[churner];
      maxBlipGap = Math.max(maxBlipGap, gap);
      if (gap > graceNanos - marginNanos / 2) {
        blipOverruns++;
      }
    }
    if (kind.visible) {
      visible.get(churner).add(new Expect(kind.online, at, measured));
    }
  }

  /** A presence notification for {@code userId} reached the watcher at {@code at}. */
  synchronized void notification(int watcher, String userId, boolean online, long at) {
    frames++;
    if (inWindow(at)) {
      windowFrames++;
    }
    Integer churner = churnerIndex.get(userId);
    Pair pair = churner == null ? null : pairs.get(key(watcher, churner));
    if (pair == null) {
      unexpected(watcher, userId, online, at, "not watched");
      return;
    }
    if (retired[churner]) {
      ignored++;
      return;
    }
    List<Expect> expects = visible.get(churner);
    if (pair.next < expects.size() && expects.get(pair.next).online == online) {
      match(pair, expects, pair.next, at);
      return;
    }
    if (pair.answerDue && (pair.lastOnline == null || pair.lastOnline == online)) {
      answers++;
      pair.answerDue = false;
      pair.lastOnline = online;
      return;
    }
    for (int i = pair.next + 1; i < expects.size(); i++) {
      if (expects.get(i).online == online) {
        for (int j = pair.next; j < i; j++) {
          if (expects.get(j).measured) {
            pair.skippedMeasured++;
          }
        }
        match(pair, expects, i, at);
        return;
      }
    }
    pair.lastOnline = online;
    unexpected(watcher, userId, online, at, pair.next < expects.size()
        ? "expected " + state(expects.get(pair.next).online) + " next" : "no transition pending");
  }

  /** The watcher's stream came back: the next notification of each pair may be a fresh answer. */
  synchronized void watcherReconnected(int watcher) {
    pairsByWatcher.getOrDefault(watcher, List.of()).forEach(pair -> pair.answerDue = true);
  }

  /** The churning user failed (e.g. could not connect): what it does from now on is not judged. */
  synchronized void retire(int churner) {
    retired[churner] = true;
  }

  synchronized long answers() {
    return answers;
  }

  synchronized long pairs() {
    return pairs.size();
  }

  synchronized long lastTransitionAt() {
    return lastTransitionAt;
  }

  synchronized long transitions() {
    return transitions;
  }

  synchronized long received() {
    return received;
  }

  synchronized long unexpected() {
    return unexpected;
  }

  /** Measured visible transitions that some watcher has not been told of yet. */
  synchronized long outstanding() {
    long outstanding = 0;
    for (Pair pair : pairs.values()) {
      if (!retired[pair.churner]) {
        List<Expect> expects = visible.get(pair.churner);
        for (int i = pair.next; i < expects.size(); i++) {
          if (expects.get(i).measured) {
            outstanding++;
          }
        }
      }
    }
    return outstanding;
  }

  /** The counts and latencies; whatever is still outstanding now counts as missing. */
  synchronized ChurnTally tally() {
    long missing = outstanding();
    int retiredCount = 0;
    for (Pair pair : pairs.values()) {
      if (!retired[pair.churner]) {
        missing += pair.skippedMeasured;
      }
    }
    for (boolean r : retired) {
      retiredCount += r ? 1 : 0;
    }
    double windowSeconds = windowTo == Long.MAX_VALUE ? 0 : (windowTo - windowFrom) / 1e9;
    LatencySummary online = LatencySummary.ofMicros(onlineMicros);
    LatencySummary offline = LatencySummary.ofMicros(offlineMicros);
    return new ChurnTally(
        measuredByKind[Kind.CONNECT.ordinal()], measuredByKind[Kind.DISCONNECT.ordinal()],
        measuredByKind[Kind.BLIP_DISCONNECT.ordinal()], measuredByKind[Kind.BLIP_RECONNECT.ordinal()],
        windowSeconds, received + missing, received, missing, unexpected, answers, outsideWindow, ignored, early,
        windowFrames, frames, online, offline, online.minus(onlineDelayNanos / 1e6),
        offline.minus(graceNanos / 1e6), maxBlipGap / 1e6, blipOverruns, retiredCount,
        List.copyOf(unexpectedSamples));
  }

  private void match(Pair pair, List<Expect> expects, int index, long at) {
    Expect expect = expects.get(index);
    pair.next = index + 1;
    pair.lastOnline = expect.online;
    if (!expect.measured) {
      outsideWindow++;
      return;
    }
    received++;
    long latency = at - expect.at;
    long configured = expect.online ? onlineDelayNanos : graceNanos;
    if (latency < configured - marginNanos) {
      early++;
    }
    (expect.online ? onlineMicros : offlineMicros).recordValue(Math.min(MAX_MICROS, Math.max(0, latency / 1000)));
  }

  private void unexpected(int watcher, String userId, boolean online, long at, String why) {
    unexpected++;
    if (unexpectedSamples.size() < SAMPLES) {
      Integer churner = churnerIndex.get(userId);
      String recent = churner == null ? "" : ", its last transitions " + history.get(churner);
      unexpectedSamples.add(String.format(Locale.ROOT, "at %s watcher #%d got %s of %s (%s%s)", seconds(at),
          watcher, state(online), userId, why, recent));
    }
  }

  private boolean inWindow(long at) {
    return at >= windowFrom && at < windowTo;
  }

  private String seconds(long at) {
    return String.format(Locale.ROOT, "%.3fs", (at - epoch) / 1e9);
  }

  private static String state(boolean online) {
    return online ? "ONLINE" : "OFFLINE";
  }

  private static long key(int watcher, int churner) {
    return ((long) watcher << 32) | (churner & 0xffffffffL);
  }

  private record Expect(boolean online, long at, boolean measured) {}

  /** What one watcher knows of one churning user. */
  private static final class Pair {
    final int churner;
    /** Index of the next visible transition of the churner this watcher should hear of. */
    int next;
    /** Measured transitions jumped over by a later notification: missing. */
    int skippedMeasured;
    /** The state the watcher was last told; null before anything. */
    Boolean lastOnline;
    boolean answerDue;

    Pair(int churner) {
      this.churner = churner;
    }
  }
}
