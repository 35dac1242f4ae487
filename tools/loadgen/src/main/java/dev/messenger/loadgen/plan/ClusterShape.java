package dev.messenger.loadgen.plan;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The processes of a clustered deployment, and how each process kind's one-node CPU curve scales to it.
 *
 * @param storeNodes CQL store nodes
 * @param natsServers NATS servers joined by routes
 * @param etcdMembers etcd members
 * @param replication CQL replication factor: replicas that apply each write
 * @param storeSync when the cluster's store nodes sync their commit log
 * @param serviceInstances instances of each service (session, router, history, ...)
 */
public record ClusterShape(int storeNodes, int natsServers, int etcdMembers, int replication,
    StoreSync storeSync, Map<String, Integer> serviceInstances) {

  /**
   * What {@code ./messenger up --cluster} starts (tools/stack StackMain and StackOptions): three nodes of
   * Cassandra (RF 3, commit log synced every 10 s), NATS and etcd, two session servers and two routers, one of
   * every other service.
   */
  public static final ClusterShape LOCAL_CLUSTER = new ClusterShape(3, 3, 3, 3, StoreSync.PERIODIC,
      Map.of("session", 2, "router", 2, "history", 1, "presence", 1, "push", 1, "web", 1));

  private static final Set<String> STORE_KINDS = Set.of("cassandra", "scylla");

  /**
   * Why each server of a NATS cluster sits on the lone server's curve at the cluster's whole rate, not at
   * r x 2 / servers (one route hop a delivery, up to session 34): in session 35 the three servers together passed
   * 2.1 to 3.0 times the lone server's messages in and out for each acknowledged message, routes counted (two
   * starts: which server each service joins is random), and took 2.7 to 3.7 times its CPU, at 100 to 190
   * msg/s; with the route hop alone the model's NATS was 0.017 to 0.046 cores short in all seven checks of
   * sessions 32 to 34 (docs/measurements.md, session 35). What the messages carry was not split; the push
   * queues' three JetStream replicas and their Raft traffic are likely.
   */
  private static final String NATS_CLUSTER_WORK = "each server passes about as many messages as the lone server "
      + "(counted on three servers, routes included: deliveries cross routes, and JetStream keeps the push queues "
      + "on three replicas)";
  private static final int NATS_SERVERS_MEASURED = 3;

  public ClusterShape {
    atLeastOne("store nodes", storeNodes);
    atLeastOne("NATS servers", natsServers);
    atLeastOne("etcd members", etcdMembers);
    atLeastOne("replication", replication);
    if (replication > storeNodes) {
      throw new IllegalArgumentException("replication " + replication + " needs at least as many store nodes, not "
          + storeNodes);
    }
    serviceInstances.forEach((service, count) -> atLeastOne("instances of " + service, count));
    serviceInstances = Map.copyOf(serviceInstances);
  }

  /** This shape with some services' instance counts replaced (and services added). */
  public ClusterShape withInstances(Map<String, Integer> instances) {
    Map<String, Integer> merged = new LinkedHashMap<>(serviceInstances);
    merged.putAll(instances);
    return new ClusterShape(storeNodes, natsServers, etcdMembers, replication, storeSync, merged);
  }

  /** Whether a process kind is the CQL store's. */
  static boolean isStore(String kind) {
    return STORE_KINDS.contains(kind);
  }

  /** How a process kind's one-node curve becomes the cluster's, and why. */
  public Scaling scaling(String kind) {
    if (StoreCommitLogSync.is(kind)) {
      return storeSync == StoreSync.EACH_WRITE
          ? new Scaling(storeNodes, replication, storeNodesInWords(),
              "each of the " + replication + " replicas syncs every write before it answers", true)
          : new Scaling(0, 0, "cluster nodes sync their commit log every few seconds (periodic), not before "
              + "each answer", "a write is on a quorum of nodes before it is answered, unsynced", true);
    }
    if (isStore(kind)) {
      return new Scaling(storeNodes, replication, storeNodesInWords(),
          "each of the " + replication + " replicas (RF " + replication + ") applies every write", true);
    }
    if (kind.equals("nats")) {
      return natsServers > 1
          ? new Scaling(natsServers, natsServers, natsServers + " NATS servers", natsClusterWork(), true)
          : new Scaling(1, 1, "one NATS server", "one server, no route hop", true);
    }
    if (kind.equals("etcd")) {
      return new Scaling(etcdMembers, etcdMembers, etcdMembers + " members",
          "every member applies every write to its log", true);
    }
    Integer instances = serviceInstances.get(kind);
    if (instances != null) {
      return new Scaling(instances, 1, instances == 1 ? "one instance" : instances + " instances",
          instances == 1 ? "one instance" : "the instances share the messages", true);
    }
    return new Scaling(1, 1, "unknown process kind, counted as on one node", "unknown process kind, as on one node",
        false);
  }

  private String natsClusterWork() {
    return natsServers == NATS_SERVERS_MEASURED
        ? NATS_CLUSTER_WORK : NATS_CLUSTER_WORK + "; measured on three servers only, not on " + natsServers;
  }

  private String storeNodesInWords() {
    return storeNodes == 1 ? "one store node" : storeNodes + " store nodes";
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("store_nodes", storeNodes);
    map.put("nats_servers", natsServers);
    map.put("etcd_members", etcdMembers);
    map.put("replication", replication);
    map.put("store_sync", storeSync.name().toLowerCase(Locale.ROOT));
    map.put("service_instances", new TreeMap<>(serviceInstances));
    return map;
  }

  /** For the printed arithmetic: "3 store nodes (RF 3), 3 NATS servers, ...". */
  String describe() {
    StringBuilder services = new StringBuilder();
    new TreeMap<>(serviceInstances).forEach((service, count) ->
        services.append(services.length() == 0 ? "" : ", ").append(service).append(" x").append(count));
    return storeNodes + " store nodes (RF " + replication + (storeSync == StoreSync.EACH_WRITE
        ? ", commit log synced before each answer" : "") + "), " + natsServers + " NATS servers, " + etcdMembers
        + " etcd members, services " + services;
  }

  private static void atLeastOne(String what, int count) {
    if (count < 1) {
      throw new IllegalArgumentException(what + " must be at least 1, not " + count);
    }
  }

  /** When a store node syncs its commit log: before it answers a write (batch, group), or every few seconds. */
  public enum StoreSync {
    EACH_WRITE,
    PERIODIC
  }

  /**
   * How many processes of a kind the cluster runs, and how much of the one node's work each does: the cluster
   * does {@code workFactor} times the one node's work per message, shared by {@code processes}, so each runs at
   * {@code workFactor / processes} of the cluster's rate on the one node's curve.
   *
   * @param processes processes of the kind in the cluster (0: the kind does not run there)
   * @param workFactor the one node's work per message the cluster does, in all its processes of the kind
   * @param processesReason why that many processes
   * @param workReason why that much work
   * @param known false for a process kind the shape does not know
   */
  public record Scaling(int processes, double workFactor, String processesReason, String workReason,
      boolean known) {
    /** The rate on the one node's curve each process of the kind runs at when the cluster acknowledges {@code rate}. */
    double ratePerProcess(double rate) {
      return processes == 0 ? 0 : rate * workFactor / processes;
    }

    /** The kind's CPU-seconds per second in the cluster at {@code rate}: each process on the one node's curve. */
    public double coresAt(CpuCurve oneNode, double rate) {
      return processes == 0 ? 0 : processes * oneNode.at(ratePerProcess(rate));
    }
  }
}
