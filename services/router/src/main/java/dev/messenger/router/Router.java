package dev.messenger.router;

import dev.messenger.common.Subjects;
import dev.messenger.history.store.HistoryConfig;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One router instance: shard ownership in etcd, submissions over NATS, sequencing on CQL. */
public final class Router implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  private final RouterConfig config;
  private final CommitLog commitLog;
  private final Connection nats;
  private final ExecutorService executor;
  private final Sequencer sequencer;
  private final SubmitHandler submitHandler;
  private final ShardOwnership ownership;
  private final Dispatcher dispatcher;
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
    RouterMetrics metrics = new RouterMetrics(registry, ownership::ownedCount);
    this.sequencer = new Sequencer(commitLog, new NatsDeliveryPublisher(nats, config.subjects()), new MessageIds(Clock.systemUTC()),
        Clock.systemUTC(), executor, ownership::owns, config.shards(), metrics);
    this.submitHandler = new SubmitHandler(nats, commitLog, sequencer, metrics);
    this.dispatcher = nats.createDispatcher();
  }

  /** Builds a router on CQL and starts taking shards. */
  public static Router start(RouterConfig config, Client etcd, Connection nats,
      com.datastax.oss.driver.api.core.CqlSession cql, HistoryConfig history, PrometheusRegistry registry) {
    Router router = new Router(config, etcd, nats, CqlCommitLog.create(cql, history, registry), registry);
    router.ownership.start(config.reconcileInterval());
    router.evictor.scheduleWithFixedDelay(() -> router.sequencer.evictIdle(Duration.ofMinutes(1)), 5, 5,
        java.util.concurrent.TimeUnit.SECONDS);
    return router;
  }

  /** Number of shards this router owns now. */
  public int ownedShards() {
    return ownership.ownedCount();
  }

  private final class Listener implements ShardListener {
    @Override
    public void onAcquired(int shard) {
      repairShard(shard);
      dispatcher.subscribe(config.subjects().submit(shard), Subjects.ROUTER_QUEUE, m -> submitHandler.handle(shard, m));
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
      try {
        sequencer.clearMarks(shard).get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.info("in-flight marks of shard {} not cleared; its next owner repairs them: {}", shard, e.toString());
      }
      sequencer.forgetShard(shard);
    }

    @Override
    public void onLost(int shard) {
      dispatcher.unsubscribe(config.subjects().submit(shard));
      sequencer.forgetShard(shard);
    }
  }

  /** Finishes fan-out of whatever a previous owner committed but did not deliver. */
  private void repairShard(int shard) {
    try {
      List<String> inflight = commitLog.listInflight(shard).toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (String conversationId : inflight) {
        var members = commitLog.members(conversationId).toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (members.isPresent()) {
          sequencer.repair(conversationId, members.get()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        long head = commitLog.loadHead(conversationId).toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (head > 0) {
          commitLog.clearInflight(shard, conversationId, head).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
      }
      if (!inflight.isEmpty()) {
        log.info("router {} repaired {} conversations of shard {}", config.routerId(), inflight.size(), shard);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot repair shard " + shard, e);
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
