package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of a churn run.
 *
 * @param tally what watchers saw
 * @param answersMissing watches not answered with the current state before the schedule started
 * @param skippedArrivals arrivals of the schedule at which no churning user was free to move
 * @param maxScheduleLagMs how late the schedule fired its latest transition
 * @param errors client-side errors by kind, with "total"
 */
public record ChurnResult(ChurnSettings settings, ChurnTarget target, ChurnTally tally, long answersMissing,
    long skippedArrivals, double maxScheduleLagMs, Map<String, Long> errors) {
  public ChurnResult {
    requireNonNull(settings, "settings");
    requireNonNull(target, "target");
    requireNonNull(tally, "tally");
    errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
  }

  public long errorCount() {
    return errors.getOrDefault("total", 0L);
  }
}
