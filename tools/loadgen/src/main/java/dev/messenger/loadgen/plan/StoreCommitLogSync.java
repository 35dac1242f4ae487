package dev.messenger.loadgen.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CQL store's commit-log sync, counted as a process kind of its own. A lone node of {@code ./messenger up}
 * syncs its commit log before it answers a write ({@code commitlog_sync: batch}), a cluster's nodes every 10 s
 * ({@code periodic}: a write is on a quorum of nodes before it is answered), so the one node's sync does not
 * scale to the cluster as the rest of the store does (session 27: a quarter of the one node's store CPU, under
 * 5 % of a cluster node's). Cassandra syncs on its {@code COMMIT-LOG-WRITER} thread, whose group a report lists
 * per process ({@code thread_groups_cpu_s}, names cut to 15 characters by Linux) when it took 5 % of the
 * process's CPU or more.
 */
public final class StoreCommitLogSync {
  /** The store whose syncing thread is known: Cassandra's. */
  static final String STORE_KIND = "cassandra";
  /** The thread group of the store's commit-log syncing thread in a report. */
  static final String THREAD_GROUP = "COMMIT-LOG-WRIT";
  private static final String SUFFIX = "-commit-log-sync";

  private StoreCommitLogSync() {}

  /** The kind the sync of a store kind is counted under: {@code cassandra-commit-log-sync}. */
  public static String kindOf(String storeKind) {
    return storeKind + SUFFIX;
  }

  /** Whether {@code kind} is a store's commit-log sync. */
  public static boolean is(String kind) {
    return kind.endsWith(SUFFIX);
  }

  /** The kind a sync kind is part of ({@code cassandra}); any other kind itself. */
  public static String wholeKind(String kind) {
    return is(kind) ? kind.substring(0, kind.length() - SUFFIX.length()) : kind;
  }

  /** CPU by kind with every sync counted in its store again. */
  public static Map<String, Double> folded(Map<String, Double> coresByKind) {
    Map<String, Double> folded = new LinkedHashMap<>();
    coresByKind.forEach((kind, cores) -> folded.merge(wholeKind(kind), cores, Double::sum));
    return folded;
  }

  /** The sync's CPU-seconds in a process's thread groups; empty when the report does not list it. */
  static Optional<Double> secondsIn(Map<String, Object> threadGroups, String processName) {
    return threadGroups.get(processName) instanceof Map<?, ?> groups
        && groups.get(THREAD_GROUP) instanceof Number seconds ? Optional.of(seconds.doubleValue()) : Optional.empty();
  }
}
