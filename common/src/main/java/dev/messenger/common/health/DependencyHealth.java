package dev.messenger.common.health;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes what a service needs (NATS, etcd, the CQL store) once a period and reports whether all of it answers,
 * so that its gRPC health says NOT_SERVING while it cannot do its work and load balancers send elsewhere. One
 * slow answer is not an outage: a dependency counts as down after {@code failuresForDown} probes in a row
 * failed or took longer than the timeout, and as up again after one answered.
 */
public final class DependencyHealth implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DependencyHealth.class);

  /** A dependency down for this many times the rounds that made it down gets the threads logged once. */
  static final int DUMP_AFTER_DOWN_ROUNDS = 10;

  private final Map<String, Probe> probes;
  private final Map<String, Integer> failures = new LinkedHashMap<>();
  private final Duration timeout;
  private final int failuresForDown;
  private final Consumer<Boolean> onChange;
  private final Consumer<String> diagnosis;
  private final Gauge up;
  private final ScheduledExecutorService timer;
  // A probe's own call runs here, never on the timer: a client library that blocks in it (jetcd did, right
  // after an etcd member was killed) would stop every later probe, and the service would stay NOT_SERVING.
  private final ExecutorService calls = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "dependency-probe");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, CompletableFuture<?>> callsInProgress = new LinkedHashMap<>();
  private boolean healthy = true;

  private DependencyHealth(Map<String, Probe> probes, Duration period, Duration timeout, int failuresForDown,
      Consumer<Boolean> onChange, Consumer<String> diagnosis, PrometheusRegistry registry) {
    this.probes = Map.copyOf(probes);
    this.diagnosis = diagnosis;
    this.timeout = timeout;
    this.failuresForDown = failuresForDown;
    this.onChange = onChange;
    this.up = Gauge.builder().name("messenger_dependency_up")
        .help("1 while the dependency answers the service's health probes, 0 while it counts as down")
        .labelNames("dependency").register(registry);
    probes.keySet().forEach(name -> {
      failures.put(name, 0);
      up.labelValues(name).set(1);
    });
    this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "dependency-health");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(this::probeAllSafely, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Starts probing every {@code period}; {@code onChange} gets false when a dependency goes down and true when
   * all are up again (on the probing thread).
   */
  public static DependencyHealth start(Map<String, Probe> probes, Duration period, Duration timeout,
      int failuresForDown, Consumer<Boolean> onChange, PrometheusRegistry registry) {
    return start(probes, period, timeout, failuresForDown, onChange, dump -> log.warn("{}", dump), registry);
  }

  /** {@link #start}, with the text of a long outage's thread dump going to {@code diagnosis}. */
  static DependencyHealth start(Map<String, Probe> probes, Duration period, Duration timeout, int failuresForDown,
      Consumer<Boolean> onChange, Consumer<String> diagnosis, PrometheusRegistry registry) {
    return new DependencyHealth(probes, period, timeout, failuresForDown, onChange, diagnosis, registry);
  }

  /** One probe a second, down after three failures or answers slower than two seconds in a row. */
  public static DependencyHealth start(Map<String, Probe> probes, Consumer<Boolean> onChange,
      PrometheusRegistry registry) {
    return start(probes, Duration.ofSeconds(1), Duration.ofSeconds(2), 3, onChange, registry);
  }

  /** True while every dependency counts as up. */
  public synchronized boolean healthy() {
    return healthy;
  }

  /** An exception out of a scheduled task would cancel every later round. */
  private void probeAllSafely() {
    try {
      probeAll();
    } catch (RuntimeException e) {
      log.warn("health probe round failed: {}", e.toString());
    }
  }

  private void probeAll() {
    Map<String, CompletableFuture<?>> answers = new LinkedHashMap<>();
    probes.forEach((name, probe) -> answers.put(name, start(name, probe)));
    answers.forEach((name, answer) -> record(name, failure(answer)));
    boolean allUp = failures.values().stream().allMatch(count -> count < failuresForDown);
    boolean changed;
    synchronized (this) {
      changed = allUp != healthy;
      healthy = allUp;
    }
    if (changed) {
      if (allUp) {
        log.info("health: every dependency answers again: SERVING");
      }
      onChange.accept(allUp);
    }
  }

  /**
   * The probe's answer; its call is made on a thread of its own. While an earlier call has not returned, no
   * other is started (one stuck thread, not one more each round): the round counts as failed.
   */
  private CompletableFuture<?> start(String name, Probe probe) {
    CompletableFuture<?> previous = callsInProgress.get(name);
    if (previous != null && !previous.isDone()) {
      return CompletableFuture.failedFuture(new IllegalStateException("the previous probe call has not returned"));
    }
    CompletableFuture<java.util.concurrent.CompletionStage<?>> call =
        CompletableFuture.supplyAsync(probe::ping, calls);
    callsInProgress.put(name, call);
    return call.thenCompose(answer -> answer);
  }

  private String failure(CompletableFuture<?> answer) {
    try {
      answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (java.util.concurrent.TimeoutException e) {
      answer.cancel(true);
      return "no answer within " + timeout.toMillis() + " ms";
    } catch (java.util.concurrent.ExecutionException e) {
      return String.valueOf(e.getCause());
    }
  }

  private void record(String name, String failure) {
    int before = failures.get(name);
    int after = failure == null ? 0 : before + 1;
    failures.put(name, after);
    if (after == failuresForDown) {
      up.labelValues(name).set(0);
      log.warn("health: {} is down ({} probes in a row failed, last: {}): NOT_SERVING", name, after, failure);
    } else if (after == failuresForDown * DUMP_AFTER_DOWN_ROUNDS) {
      // Once per outage. A session server once stayed cut from a NATS cluster that every other client had
      // reached again for minutes; where its client library stood is what the log lacked.
      try {
        diagnosis.accept("health: " + name + " still down after " + after + " probes in a row (last: " + failure
            + "); this service's threads:\n" + ThreadDump.ofThisJvm());
      } catch (RuntimeException e) {
        log.warn("health: could not write the threads of this service: {}", e.toString()); // the round goes on
      }
    } else if (after == 0 && before >= failuresForDown) {
      up.labelValues(name).set(1);
      log.info("health: {} answers again", name);
    }
  }

  /** Stops probing, and closes the probes that hold something (a NATS echo's subscription). */
  @Override
  public void close() {
    timer.shutdownNow();
    calls.shutdownNow();
    probes.values().forEach(probe -> {
      if (probe instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.warn("health: closing a probe failed: {}", e.toString());
        }
      }
    });
  }
}
