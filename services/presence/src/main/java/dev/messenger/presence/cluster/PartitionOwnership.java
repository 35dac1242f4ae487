package dev.messenger.presence.cluster;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.etcd.KeptLease;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the presence partitions, held in etcd. Every instance registers
 * {@code <prefix>instances/<id>} under its lease; each partition belongs to the live instance that
 * rendezvous hashing picks, which claims {@code <prefix>partitions/<n>} under its own lease only if no one
 * holds it. An instance that leaves hands its partitions back at once; one that dies loses them with its
 * lease. One whose keep-alive is overdue gives everything up before its lease can have expired.
 *
 * <p>All etcd work and all listener calls run on the given single-threaded executor.
 */
public final class PartitionOwnership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PartitionOwnership.class);

  /** Told when this instance starts or stops owning a partition. */
  public interface Listener {
    /** The partition is ours; prepare to serve it. Throwing gives it back. */
    void onAcquired(int partition) throws Exception;

    /** The partition is no longer ours (handed over or lost). */
    void onReleased(int partition);
  }

  private final Client etcd;
  private final String instancesPrefix;
  private final String partitionsPrefix;
  private final String instanceId;
  private final int partitionCount;
  private final Duration leaseTtl;
  private final Listener listener;
  private final ScheduledExecutorService loop;
  private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
  private KeptLease lease;
  private ScheduledFuture<?> task;
  private volatile boolean stopped;

  public PartitionOwnership(Client etcd, String prefix, String instanceId, int partitionCount, Duration leaseTtl,
      Listener listener, ScheduledExecutorService loop) {
    this.etcd = requireNonNull(etcd, "etcd");
    this.instancesPrefix = prefix + "instances/";
    this.partitionsPrefix = prefix + "partitions/";
    this.instanceId = requireNonNull(instanceId, "instanceId");
    this.partitionCount = partitionCount;
    this.leaseTtl = requireNonNull(leaseTtl, "leaseTtl");
    this.listener = requireNonNull(listener, "listener");
    this.loop = requireNonNull(loop, "loop");
  }

  /** Starts reconciling every {@code interval}. */
  public synchronized void start(Duration interval) {
    task = loop.scheduleWithFixedDelay(this::reconcileSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The partitions this instance serves now. */
  public Set<Integer> owned() {
    return Set.copyOf(owned);
  }

  /** Gives every partition back at once (the others take them on their next round) and revokes the lease. */
  @Override
  public void close() {
    stopOn(() -> {
      releaseAllLocally();
      if (lease != null) {
        lease.close();
        lease = null;
      }
    });
  }

  /**
   * Stops serving without telling etcd, as if the process had died: the partitions move when the lease
   * expires. For tests of failover.
   */
  public void abandon() {
    stopOn(() -> {
      releaseAllLocally();
      if (lease != null) {
        lease.abandon();
        lease = null;
      }
    });
  }

  private void stopOn(Runnable action) {
    stopped = true;
    synchronized (this) {
      if (task != null) {
        task.cancel(false);
      }
    }
    try {
      loop.submit(action).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      log.warn("presence instance {} did not stop cleanly: {}", instanceId, e.toString());
    }
  }

  private void reconcileSafely() {
    if (stopped) {
      return;
    }
    try {
      reconcile();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("presence partition reconciliation failed: {}", e.toString());
    }
  }

  private void reconcile() throws Exception {
    if (lease != null && lease.sinceLastRenewal().compareTo(leaseTtl.multipliedBy(2).dividedBy(3)) > 0) {
      log.warn("presence instance {}: lease keep-alive overdue, giving up all partitions", instanceId);
      releaseAllLocally();
      lease.abandon();
      lease = null;
    }
    Set<String> instances = names(list(instancesPrefix), instancesPrefix);
    if (lease == null || !instances.contains(instanceId)) {
      if (lease != null) {
        log.warn("presence instance {}: registration vanished, giving up all partitions", instanceId);
        releaseAllLocally();
        lease.abandon();
      }
      lease = KeptLease.grant(etcd, leaseTtl, () -> { });
      etcd.getKVClient()
          .put(bytes(instancesPrefix + instanceId), bytes(instanceId),
              PutOption.builder().withLeaseId(lease.id()).build())
          .get(5, TimeUnit.SECONDS);
      instances.add(instanceId);
    }
    Map<Integer, String> owners = owners();
    int before = owned.size();
    for (int partition = 0; partition < partitionCount && !stopped; partition++) {
      String owner = owners.get(partition);
      boolean mine = owned.contains(partition);
      boolean desired = Rendezvous.owner(partition, instances).map(instanceId::equals).orElse(false);
      if (mine && !instanceId.equals(owner)) {
        log.warn("presence instance {} lost partition {} to {}", instanceId, partition, owner);
        owned.remove(partition);
        listener.onReleased(partition);
      } else if (mine && !desired) {
        owned.remove(partition);
        listener.onReleased(partition);
        deleteIfOurs(partition);
      } else if (!mine && instanceId.equals(owner)) {
        deleteIfOurs(partition); // a claim of an earlier lease of ours: claim afresh next round
      } else if (!mine && desired && owner == null && claim(partition)) {
        try {
          listener.onAcquired(partition);
          owned.add(partition);
        } catch (Exception e) {
          log.warn("presence instance {} could not take partition {}: {}", instanceId, partition, e.toString());
          deleteIfOurs(partition);
        }
      }
    }
    if (owned.size() != before) {
      log.info("presence instance {} serves {} of {} partitions", instanceId, owned.size(), partitionCount);
    }
  }

  private void releaseAllLocally() {
    for (int partition : Set.copyOf(owned)) {
      owned.remove(partition);
      listener.onReleased(partition);
    }
  }

  private boolean claim(int partition) throws Exception {
    ByteSequence key = bytes(partitionsPrefix + partition);
    return etcd.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(key, bytes(instanceId), PutOption.builder().withLeaseId(lease.id()).build()))
        .commit()
        .get(5, TimeUnit.SECONDS)
        .isSucceeded();
  }

  private void deleteIfOurs(int partition) throws Exception {
    ByteSequence key = bytes(partitionsPrefix + partition);
    etcd.getKVClient().txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(instanceId))))
        .Then(Op.delete(key, DeleteOption.DEFAULT))
        .commit()
        .get(5, TimeUnit.SECONDS);
  }

  private Map<Integer, String> owners() throws Exception {
    Map<Integer, String> owners = new HashMap<>();
    for (KeyValue kv : list(partitionsPrefix)) {
      String name = kv.getKey().toString(StandardCharsets.UTF_8).substring(partitionsPrefix.length());
      try {
        owners.put(Integer.parseInt(name), kv.getValue().toString(StandardCharsets.UTF_8));
      } catch (NumberFormatException e) {
        log.debug("ignoring foreign key {}", name);
      }
    }
    return owners;
  }

  private List<KeyValue> list(String prefix) throws Exception {
    return etcd.getKVClient()
        .get(bytes(prefix), GetOption.builder().isPrefix(true).build())
        .get(5, TimeUnit.SECONDS)
        .getKvs();
  }

  private static Set<String> names(List<KeyValue> kvs, String prefix) {
    Set<String> names = new HashSet<>();
    for (KeyValue kv : kvs) {
      names.add(kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length()));
    }
    return names;
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
