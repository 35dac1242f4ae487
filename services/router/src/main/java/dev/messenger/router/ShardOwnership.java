package dev.messenger.router;

import dev.messenger.common.etcd.EtcdRegistration;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this router's share of the conversation shards in etcd. Every router registers under
 * {@code /<ns>/routers/<id>} with a lease; the owner of each shard is chosen by rendezvous hashing
 * over the live routers, and takes the shard by creating {@code /<ns>/shards/<n>} under its own
 * lease only if the key does not exist. A router whose lease expired (pause, partition) loses its keys
 * with it; it notices either when its keep-alive is overdue or when it sees another owner, and stops.
 * Ownership decides who serves a shard; sequence numbers are fenced by the shard's epoch in the CQL store.
 * While the lease a shard's key lives under was renewed within half its TTL (counted from when the renewal
 * was sent), that key cannot have expired, so no other router can hold the shard: {@link ShardKeyHold}.
 */
final class ShardOwnership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShardOwnership.class);

  private final Client etcd;
  private final String routersPrefix;
  private final String shardsPrefix;
  private final String routerId;
  private final int shardCount;
  private final Duration leaseTtl;
  private final ShardListener listener;
  private final ScheduledExecutorService loop;
  private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
  private final BitSet owned = new BitSet();
  /** Shards whose claim was started and has not completed; touched on the ownership thread only. */
  private final Set<Integer> claimsInFlight = new HashSet<>();
  private volatile EtcdRegistration registration;

  ShardOwnership(Client etcd, dev.messenger.common.Subjects subjects, String routerId, int shardCount, Duration leaseTtl,
      ShardListener listener) {
    this.etcd = etcd;
    this.routersPrefix = subjects.etcdPrefix("routers");
    this.shardsPrefix = subjects.etcdPrefix("shards");
    this.routerId = routerId;
    this.shardCount = shardCount;
    this.leaseTtl = leaseTtl;
    this.listener = listener;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "shard-ownership");
              t.setDaemon(true);
              return t;
            });
  }

  void start(Duration interval) {
    loop.scheduleWithFixedDelay(this::reconcileSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True while this router believes it owns the shard. */
  synchronized boolean owns(int shard) {
    return owned.get(shard);
  }

  /** Stops serving a shard at once (another router raised its epoch); reconciliation decides what follows. */
  void giveUp(int shard) {
    loop.execute(() -> {
      if (owns(shard)) {
        setOwned(shard, false);
        listener.onLost(shard);
      }
    });
  }

  /** Seconds since the lease was last renewed, NaN while this router holds none. */
  double leaseAgeSeconds() {
    EtcdRegistration held = registration;
    return held == null ? Double.NaN : held.sinceLastRenewal().toNanos() / 1e9;
  }

  synchronized int ownedCount() {
    return owned.cardinality();
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (Exception e) {
      log.warn("shard reconciliation failed: {}", e.toString());
    }
  }

  /** One round: make sure we are registered, drop what we lost, take or release shards. */
  void reconcile() throws Exception {
    if (registration != null && registration.sinceLastRenewal().compareTo(leaseTtl.multipliedBy(2).dividedBy(3)) > 0) {
      log.warn("router {} lease keep-alive overdue; giving up all shards", routerId);
      loseAll();
      registration.close();
      registration = null;
    }
    Set<String> routers = childNames(routersPrefix);
    if (registration == null || !routers.contains(routerId)) {
      if (registration != null) {
        log.warn("router {} registration vanished (lease expired); giving up all shards", routerId);
        loseAll();
        registration.close();
      }
      registration = EtcdRegistration.register(etcd, routersPrefix + routerId, routerId, leaseTtl);
      routers.add(routerId);
    }
    Map<Integer, ShardKey> keys = shardKeys();
    List<Integer> adopted = new ArrayList<>();
    List<Integer> free = new ArrayList<>();
    for (int shard = 0; shard < shardCount; shard++) {
      ShardKey key = keys.get(shard);
      String owner = key == null ? null : key.owner();
      boolean mine = owns(shard);
      boolean desired = Rendezvous.owner(shard, routers).map(routerId::equals).orElse(false);
      if (mine && !routerId.equals(owner)) {
        log.atWarn().addKeyValue("shard", shard).addKeyValue("owner", owner)
            .log("router {} lost shard {} to {}", routerId, shard, owner);
        setOwned(shard, false);
        listener.onLost(shard);
      } else if (mine && !desired) {
        log.info("router {} hands shard {} over", routerId, shard);
        setOwned(shard, false);
        listener.onReleasing(shard);
        release(shard);
      } else if (!mine && desired && owner == null) {
        free.add(shard);
      } else if (!mine && routerId.equals(owner) && key.lease() == registration.leaseId()) {
        adopted.add(shard); // ours from before a restart of this object, or a claim that failed
      } // a key of ours under an earlier lease expires with it; the shard is taken again once it is free
    }
    adopted.addAll(acquireAll(free));
    serveAll(adopted); // every key served lives under the current lease
  }

  /** Takes the free shards' keys in etcd, all at once; returns the shards taken. */
  private List<Integer> acquireAll(List<Integer> shards) throws Exception {
    Map<Integer, CompletableFuture<TxnResponse>> txns = new LinkedHashMap<>();
    for (int shard : shards) {
      ByteSequence key = bytes(shardsPrefix + shard);
      txns.put(shard, etcd.getKVClient()
          .txn()
          .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
          .Then(Op.put(key, bytes(routerId), PutOption.builder().withLeaseId(registration.leaseId()).build()))
          .commit());
    }
    List<Integer> taken = new ArrayList<>();
    for (Map.Entry<Integer, CompletableFuture<TxnResponse>> txn : txns.entrySet()) {
      if (txn.getValue().get(5, TimeUnit.SECONDS).isSucceeded()) {
        taken.add(txn.getKey());
      }
    }
    return taken;
  }

  /**
   * Claims the shards (each raises its epoch in the store) at the same time rather than one after another: after
   * a takeover the new owner serves all of them a round trip later, not 64 round trips later. A shard is served
   * only once it is marked owned, so no submission meets a router that does not yet know it owns the shard. A
   * claim that failed leaves the shard unserved with its key ours: a later round adopts and claims it again; one
   * that comes after the wait gave up is undone when it completes, and no shard has two claims at a time.
   */
  private void serveAll(List<Integer> shards) throws InterruptedException {
    Map<Integer, CompletableFuture<Long>> claims = new LinkedHashMap<>();
    ShardKeyHold hold = holdUnder(registration.leaseId());
    for (int shard : shards) {
      if (claimsInFlight.add(shard)) {
        claims.put(shard, listener.claim(shard, hold).toCompletableFuture());
      }
    }
    long deadline = System.nanoTime() + CLAIM_TIMEOUT.toNanos();
    for (Map.Entry<Integer, CompletableFuture<Long>> claim : claims.entrySet()) {
      int shard = claim.getKey();
      try {
        claim.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        claimsInFlight.remove(shard);
        setOwned(shard, true);
        listener.onAcquired(shard);
        log.info("router {} owns shard {}", routerId, shard);
      } catch (ExecutionException e) {
        claimsInFlight.remove(shard);
        log.warn("router {} could not claim shard {} yet: {}", routerId, shard, e.getCause().toString());
      } catch (TimeoutException e) {
        log.warn("router {} gave up waiting for its claim of shard {}", routerId, shard);
        claim.getValue().whenComplete((epoch, error) -> loop.execute(() -> {
          claimsInFlight.remove(shard);
          if (!owns(shard)) {
            listener.onLost(shard); // the late claim holds an epoch nobody serves: let it go
          }
        }));
      }
    }
  }

  /** Whether the key, living under {@code keyLease}, is certainly still ours: see {@link LeaseKeyHold}. */
  private ShardKeyHold holdUnder(long keyLease) {
    EtcdRegistration current = registration;
    // etcd grants whole seconds: the limit is half of the TTL it was granted
    Duration granted = Duration.ofSeconds(Math.max(1, leaseTtl.toSeconds()));
    return current == null
        ? ShardKeyHold.NEVER
        : LeaseKeyHold.of(current, keyLease, granted, () -> registration == current);
  }

  private synchronized void setOwned(int shard, boolean value) {
    owned.set(shard, value);
  }

  private void loseAll() {
    for (int shard = 0; shard < shardCount; shard++) {
      if (owns(shard)) {
        setOwned(shard, false);
        listener.onLost(shard);
      }
    }
  }

  private void release(int shard) throws Exception {
    ByteSequence key = bytes(shardsPrefix + shard);
    etcd.getKVClient()
        .txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(routerId))))
        .Then(Op.delete(key, DeleteOption.DEFAULT))
        .commit()
        .get(5, TimeUnit.SECONDS);
  }

  private Set<String> childNames(String prefix) throws Exception {
    Set<String> names = new HashSet<>();
    for (KeyValue kv : list(prefix)) {
      names.add(kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length()));
    }
    return names;
  }

  /** A shard's key: the router it names and the lease it lives under. */
  private record ShardKey(String owner, long lease) {}

  private Map<Integer, ShardKey> shardKeys() throws Exception {
    Map<Integer, ShardKey> keys = new HashMap<>();
    for (KeyValue kv : list(shardsPrefix)) {
      String name = kv.getKey().toString(StandardCharsets.UTF_8).substring(shardsPrefix.length());
      keys.put(Integer.parseInt(name), new ShardKey(kv.getValue().toString(StandardCharsets.UTF_8), kv.getLease()));
    }
    return keys;
  }

  private Iterable<KeyValue> list(String prefix) throws Exception {
    return etcd.getKVClient()
        .get(bytes(prefix), GetOption.builder().isPrefix(true).build())
        .get(5, TimeUnit.SECONDS)
        .getKvs();
  }

  /** Gives every shard back at once (graceful stop) and revokes the lease. */
  @Override
  public void close() {
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int shard = 0; shard < shardCount; shard++) {
      if (owns(shard)) {
        setOwned(shard, false);
        listener.onReleasing(shard);
      }
    }
    if (registration != null) {
      registration.close();
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
