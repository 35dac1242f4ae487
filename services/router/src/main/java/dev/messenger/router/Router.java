package dev.messenger.router;

import dev.messenger.common.Subjects;
import dev.messenger.common.etcd.ShardCountAgreement;
import dev.messenger.push.client.PushCandidatePublisher;
import dev.messenger.history.store.HistoryConfig;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import dev.messenger.common.metrics.NatsMetrics;
import io.nats.client.Dispatcher;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One router instance: shard ownership in etcd, submissions over NATS, sequencing on CQL. */
public final class Router implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final int RECOVERY_PARALLELISM = 64;

  private final RouterConfig config;
  private final CommitLog commitLog;
  private final Connection nats;
  private final ExecutorService executor;
  private final Sequencer sequencer;
  private final ShardFence fence;
  private final ProjectionMarks marks;
  private final Projector projector;
  private final SubmitHandler submitHandler;
  private final ShardOwnership ownership;
  private final Dispatcher dispatcher;
  private final RouterMetrics metrics;
  /** Marked conversations of shards taken over that are not checked yet. */
  private final java.util.concurrent.atomic.AtomicInteger repairBacklog =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.ScheduledExecutorService evictor =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "router-evictor");
        t.setDaemon(true);
        return t;
      });

  Router(RouterConfig config, Client etcd, Connection nats, CommitLog commitLog, PrometheusRegistry registry) {
    this.config = config;
    this.commitLog = commitLog;
    this.nats = nats;
    this.executor = Executors.newFixedThreadPool(config.workerThreads(), r -> {
      Thread t = new Thread(r, "router-worker");
      t.setDaemon(true);
      return t;
    });
    ShardListener listener = new Listener();
    this.ownership = new ShardOwnership(etcd, config.subjects(), config.routerId(), config.shards(), config.leaseTtl(), listener);
    AtomicReference<Projector> projectorRef = new AtomicReference<>();
    AtomicReference<Sequencer> sequencerRef = new AtomicReference<>();
    Admission admission = Admission.adaptive();
    this.metrics = new RouterMetrics(registry, new RouterMetrics.Gauges(ownership::ownedCount,
        () -> projectorRef.get().lag(), () -> sequencerRef.get().queuedSends(), ownership::leaseAgeSeconds,
        repairBacklog::get, admission::admitted, admission::limit));
    DeliveryPublisher publisher = new NatsDeliveryPublisher(nats, config.subjects());
    this.fence = new ShardFence(commitLog, executor, shard -> executor.execute(() -> ownership.giveUp(shard)),
        metrics::confirmed, config.fenceByLease());
    this.marks = new ProjectionMarks(commitLog, Clock.systemUTC());
    this.projector = new Projector(commitLog, executor, (conversationId, members, upToSeq) -> {
      sequencerRef.get().projected(conversationId, upToSeq);
      try {
        publisher.projected(members, conversationId, upToSeq);
      } catch (RuntimeException e) {
        metrics.publishFailed();
      }
    }, metrics, pushCandidates(nats, config));
    projectorRef.set(projector);
    this.sequencer = new Sequencer(commitLog, publisher, new MessageIds(Clock.systemUTC()), Clock.systemUTC(),
        executor, ownership::owns, fence, marks, projector, metrics);
    sequencerRef.set(sequencer);
    this.submitHandler = new SubmitHandler(nats, commitLog, sequencer, metrics, admission);
    this.dispatcher = nats.createDispatcher();
    NatsMetrics.registerBacklog(registry, "submits", dispatcher);
  }

  /** Builds a router on CQL and starts taking shards. */
  public static Router start(RouterConfig config, Client etcd, Connection nats,
      com.datastax.oss.driver.api.core.CqlSession cql, HistoryConfig history, PrometheusRegistry registry) {
    ShardCountAgreement.agree(etcd, config.subjects(), config.shards(), "router " + config.routerId());
    Router router = new Router(config, etcd, nats, CqlCommitLog.create(cql, history, registry), registry);
    router.ownership.start(config.reconcileInterval());
    router.evictor.scheduleWithFixedDelay(router::housekeeping, 5, 5, TimeUnit.SECONDS);
    return router;
  }

  /** Number of shards this router owns now. */
  public int ownedShards() {
    return ownership.ownedCount();
  }

  private static Projector.Derived pushCandidates(Connection nats, RouterConfig config) {
    try {
      return new PushCandidates(PushCandidatePublisher.create(nats, config.subjects()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach the push queue on NATS JetStream: " + e.getMessage(), e);
    }
  }

  /** Every few seconds: forget idle conversations, mark again in a new hour what is still unprojected. */
  private void housekeeping() {
    try {
      sequencer.evictIdle(Duration.ofMinutes(1));
      projector.behind().forEach((conversationId, shard) -> marks.ensureMarked(shard, conversationId));
    } catch (RuntimeException e) {
      log.warn("router housekeeping failed", e);
    }
  }

  private final class Listener implements ShardListener {
    @Override
    public CompletionStage<Long> claim(int shard, ShardKeyHold hold) {
      return fence.claim(shard, config.routerId(), hold).thenApply(epoch -> {
        log.info("router {} holds shard {} at epoch {}", config.routerId(), shard, epoch);
        return epoch;
      });
    }

    @Override
    public void onAcquired(int shard) {
      dispatcher.subscribe(config.subjects().submit(shard), Subjects.ROUTER_QUEUE, m -> submitHandler.handle(shard, m));
      recoverMarked(shard, System.nanoTime());
    }

    @Override
    public void onReleasing(int shard) {
      dispatcher.unsubscribe(config.subjects().submit(shard));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!sequencer.idle(shard) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      fence.release(shard);
      sequencer.forgetShard(shard);
    }

    @Override
    public void onLost(int shard) {
      dispatcher.unsubscribe(config.subjects().submit(shard));
      fence.release(shard);
      sequencer.forgetShard(shard);
    }
  }

  /**
   * Loads, in the background and a bounded number at a time, every conversation of the shard marked in the
   * last two hours, so that whatever a previous owner committed and did not project is projected. The shard
   * is served meanwhile: failover time does not grow with the number of recent conversations.
   */
  private void recoverMarked(int shard, long startNanos) {
    long hour = marks.hour();
    commitLog.markedForProjection(shard, hour - 1)
        .thenCombine(commitLog.markedForProjection(shard, hour), (previous, current) -> {
          java.util.Set<String> all = new java.util.LinkedHashSet<>(previous);
          all.addAll(current);
          return all;
        })
        .thenAccept(conversationIds -> {
          if (!conversationIds.isEmpty()) {
            log.info("router {} checks {} marked conversations of shard {}", config.routerId(),
                conversationIds.size(), shard);
          }
          new BoundedRecovery(conversationIds, shard, startNanos).start();
        })
        .exceptionally(error -> {
          log.warn("reading the projection marks of shard {} failed, retrying: {}", shard, error.toString());
          if (ownership.owns(shard)) {
            evictor.schedule(() -> recoverMarked(shard, startNanos), 1, TimeUnit.SECONDS);
          }
          return null;
        });
  }

  /**
   * Walks the marked conversations with at most {@value #RECOVERY_PARALLELISM} member lookups at a time,
   * keeping {@link #repairBacklog} and, once all are checked, the repair time.
   */
  private final class BoundedRecovery {
    private final java.util.Iterator<String> remaining;
    private final int shard;
    private final long startNanos;
    private int left;
    private int inFlight;
    private boolean ended;

    BoundedRecovery(java.util.Collection<String> conversationIds, int shard, long startNanos) {
      this.remaining = conversationIds.iterator();
      this.shard = shard;
      this.startNanos = startNanos;
      this.left = conversationIds.size();
      repairBacklog.addAndGet(left);
    }

    void start() {
      for (int i = 0; i < Math.max(1, Math.min(RECOVERY_PARALLELISM, left)); i++) {
        next();
      }
    }

    /**
     * Takes conversations until one's members are not known yet (a group's, read from the store): those
     * known at once (1:1) are handled in this loop, not by recursion, which 20,000 of them would overflow.
     */
    private void next() {
      while (true) {
        String conversationId;
        synchronized (this) {
          if (ended) {
            return;
          }
          if (!ownership.owns(shard)) {
            ended = true;
            repairBacklog.addAndGet(-left);
            left = 0;
            return;
          }
          if (!remaining.hasNext()) {
            if (inFlight == 0) {
              ended = true;
              metrics.repaired(startNanos);
            }
            return;
          }
          conversationId = remaining.next();
          left--;
          inFlight++;
        }
        var direct = dev.messenger.common.ConversationIds.directMembers(conversationId);
        if (direct.isPresent()) {
          checked(conversationId, java.util.Optional.of(java.util.Set.of(direct.get().first(), direct.get().second())),
              null);
          continue;
        }
        if (dev.messenger.common.ConversationIds.isGroup(conversationId)) {
          // A group's members are loaded by the sequencer itself, at the head (even when nobody is left).
          checked(conversationId, java.util.Optional.of(java.util.Set.of()), null);
          continue;
        }
        commitLog.members(conversationId).whenComplete((found, error) -> {
          checked(conversationId, found, error);
          next();
        });
        return;
      }
    }

    private void checked(String conversationId, java.util.Optional<java.util.Set<String>> found, Throwable error) {
      if (error == null && found.isPresent()) {
        sequencer.recover(shard, conversationId, found.get());
      } else if (error != null) {
        log.warn("members of {} unknown, its projection waits for its next message: {}", conversationId,
            error.toString());
      }
      synchronized (this) {
        inFlight--;
      }
      repairBacklog.decrementAndGet();
    }
  }

  @Override
  public void close() {
    evictor.shutdownNow();
    ownership.close();
    try {
      dispatcher.drain(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    executor.shutdown();
  }
}
