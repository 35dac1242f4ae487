package dev.messenger.loadgen.plan;

import java.util.Map;
import java.util.Optional;

/**
 * The CQL store's commit-log sync, counted as a process kind of its own. A lone node of {@code ./messenger up}
 * syncs its commit log before it answers a write ({@code commitlog_sync: batch}), a cluster's nodes every 10 s
 * ({@code periodic}: a write is on a quorum of nodes before it is answered), so the one node's sync does not
 * scale to the cluster as the rest of the store does (session 27: a quarter of the one node's store CPU, under
 * 5 % of a cluster node's). Cassandra does the sync on its {@code COMMIT-LOG-WRITER} thread, whose group the
 * load generator reports per process ({@code thread_groups_cpu_s}, names cut to 15 characters by Linux).
 */
public final class StoreCommitLogSync {
  /** The thread group of the store's commit-log syncing thread in a report. */
  static final String THREAD_GROUP = "COMMIT-LOG-WRIT";
  private static final String SUFFIX = " commit-log sync";

  private StoreCommitLogSync() {}

  /** The kind the sync of a store kind is counted under: {@code cassandra commit-log sync}. */
  public static String kindOf(String storeKind) {
    return storeKind + SUFFIX;
  }

  /** Whether {@code kind} is a store's commit-log sync. */
  public static boolean is(String kind) {
    return kind.endsWith(SUFFIX);
  }

  /**
   * The sync's CPU-seconds in a process's thread groups: empty when the report has no thread groups for it
   * (runs before session 27, or measured without them), 0 when the thread did not make the process's groups.
   */
  static Optional<Double> secondsIn(Map<String, Object> threadGroups, String processName) {
    if (!(threadGroups.get(processName) instanceof Map<?, ?> groups) || groups.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(groups.get(THREAD_GROUP) instanceof Number seconds ? seconds.doubleValue() : 0.0);
  }
}
