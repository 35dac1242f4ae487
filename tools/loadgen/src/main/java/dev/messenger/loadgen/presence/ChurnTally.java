package dev.messenger.loadgen.presence;

import java.util.List;

/**
 * What the watchers saw of the measured window: transitions of the churning users in the window, the
 * notifications they should cause and those that came, and the latency from transition to notification.
 *
 * @param connects connects after a long offline hold (each visible: ONLINE)
 * @param disconnects disconnects followed by a long offline hold (each visible: OFFLINE)
 * @param blipDisconnects disconnects of blips (invisible)
 * @param blipReconnects reconnects ending blips (invisible)
 * @param windowSeconds length of the measured window
 * @param expected notifications due: per watcher, per visible transition of a user it watches
 * @param received expected notifications that came
 * @param missing expected notifications that had not come by the end of the drain
 * @param unexpected notifications no transition explains (e.g. an OFFLINE/ONLINE pair caused by a blip)
 * @param answers notifications answering a watch with the current state (not changes)
 * @param outsideWindow notifications of transitions made outside the window (warm-up, or just after it)
 * @param ignored notifications about users that failed during the run
 * @param early received notifications that came sooner after their transition than the configured delay
 *     allows (less the margin): a sign of misconfigured expected delays
 * @param windowFrames presence notifications that reached watchers during the window, of any kind
 * @param frames presence notifications that reached watchers during the whole run
 * @param online latency of ONLINE notifications
 * @param offline latency of OFFLINE notifications
 * @param onlineBeyondDelay the same minus the configured online delay
 * @param offlineBeyondGrace the same minus the configured grace period
 * @param maxBlipGapMs the longest blip, from close to the reconnected stream
 * @param blipOverruns blips that came back so late that watchers may legitimately have seen them
 * @param retired churning users that failed and were dropped from the accounting
 * @param unexpectedSamples a few unexpected notifications, described
 */
public record ChurnTally(
    long connects,
    long disconnects,
    long blipDisconnects,
    long blipReconnects,
    double windowSeconds,
    long expected,
    long received,
    long missing,
    long unexpected,
    long answers,
    long outsideWindow,
    long ignored,
    long early,
    long windowFrames,
    long frames,
    LatencySummary online,
    LatencySummary offline,
    LatencySummary onlineBeyondDelay,
    LatencySummary offlineBeyondGrace,
    double maxBlipGapMs,
    long blipOverruns,
    int retired,
    List<String> unexpectedSamples) {

  public ChurnTally {
    unexpectedSamples = List.copyOf(unexpectedSamples);
  }

  /** Every transition in the window. */
  public long transitions() {
    return connects + disconnects + blipDisconnects + blipReconnects;
  }

  public double transitionsPerSecond() {
    return windowSeconds > 0 ? transitions() / windowSeconds : 0;
  }

  /** Presence notifications delivered to watchers per second of the window: the fan-out rate. */
  public double fanoutPerSecond() {
    return windowSeconds > 0 ? windowFrames / windowSeconds : 0;
  }

  /** Nothing missing, nothing unexpected. */
  public boolean passed() {
    return missing == 0 && unexpected == 0;
  }
}
