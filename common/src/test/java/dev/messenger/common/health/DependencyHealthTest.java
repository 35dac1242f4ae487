package dev.messenger.common.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DependencyHealthTest {
  private static final Duration PERIOD = Duration.ofMillis(20);
  private static final Duration TIMEOUT = Duration.ofMillis(100);

  private final List<Boolean> changes = new CopyOnWriteArrayList<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private DependencyHealth health;

  @AfterEach
  void stop() {
    if (health != null) {
      health.close();
    }
  }

  @Test
  void should_report_down_only_after_three_failed_probes_in_a_row_and_up_after_one_answer() {
    AtomicReference<Probe> nats = new AtomicReference<>(answering());
    AtomicInteger probes = new AtomicInteger();
    health = start(Map.of("nats", () -> {
      probes.incrementAndGet();
      return nats.get().ping();
    }, "cql", answering()));
    await().until(() -> probes.get() >= 5);
    assertThat(health.healthy()).isTrue();
    assertThat(changes).isEmpty();

    int beforeOutage = probes.get();
    nats.set(() -> CompletableFuture.failedFuture(new IllegalStateException("connection refused")));
    await().until(() -> !health.healthy());
    assertThat(probes.get() - beforeOutage).as("probes until down").isGreaterThanOrEqualTo(3);
    assertThat(changes).containsExactly(false);
    assertThat(up("nats")).isZero();
    assertThat(up("cql")).isEqualTo(1);

    nats.set(answering());
    await().until(health::healthy);
    assertThat(changes).containsExactly(false, true);
    assertThat(up("nats")).isEqualTo(1);
  }

  @Test
  void should_count_an_answer_slower_than_the_timeout_as_a_failure() {
    health = start(Map.of("etcd", CompletableFuture::new));
    await().until(() -> !health.healthy());
    assertThat(changes).containsExactly(false);
  }

  @Test
  void should_go_on_probing_the_others_and_come_back_when_a_probe_call_blocks_for_a_while() throws Exception {
    CountDownLatch unblock = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger natsProbes = new AtomicInteger();
    health = start(Map.of("etcd", () -> {
      if (calls.incrementAndGet() == 1) {
        try {
          unblock.await(); // a client library blocking in the call itself, not in its future
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return CompletableFuture.completedFuture(null);
    }, "nats", () -> {
      natsProbes.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    }));
    await().until(() -> !health.healthy());
    int natsBefore = natsProbes.get();
    await().until(() -> natsProbes.get() >= natsBefore + 5);
    assertThat(calls).as("no other call started while the first one blocks").hasValue(1);

    unblock.countDown();
    await().until(health::healthy);
    assertThat(changes).containsExactly(false, true);
  }

  @Test
  void should_count_a_probe_that_throws_as_a_failure() {
    health = start(Map.of("cql", () -> {
      throw new IllegalStateException("session closed");
    }));
    await().until(() -> !health.healthy());
  }

  @Test
  void should_not_report_down_for_failures_that_are_not_in_a_row() {
    AtomicInteger round = new AtomicInteger();
    health = start(Map.of("nats", () -> round.incrementAndGet() % 3 == 0
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(new IllegalStateException("slow"))));
    await().until(() -> round.get() >= 30);
    assertThat(changes).isEmpty();
    assertThat(health.healthy()).isTrue();
  }

  @Test
  void should_log_once_where_every_thread_stands_when_a_dependency_stays_down() throws Exception {
    ReentrantLock statusLock = new ReentrantLock();
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      statusLock.lock();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        statusLock.unlock();
      }
    }, "reconnect-holder");
    holder.start();
    await().until(statusLock::isLocked);
    Thread stuck = new Thread(statusLock::lock, "stuck-flush");
    stuck.setDaemon(true);
    stuck.start();
    await().until(() -> statusLock.hasQueuedThread(stuck));

    List<String> dumps = new CopyOnWriteArrayList<>();
    AtomicInteger rounds = new AtomicInteger();
    health = DependencyHealth.start(Map.of("nats", () -> {
      rounds.incrementAndGet();
      return CompletableFuture.failedFuture(new IllegalStateException("no PONG"));
    }), PERIOD, TIMEOUT, 3, changes::add, dumps::add, registry);
    try {
      await().until(() -> rounds.get() >= 3 * DependencyHealth.DUMP_AFTER_DOWN_ROUNDS + 10);
      assertThat(dumps).hasSize(1);
      String dump = dumps.get(0);
      assertThat(dump).startsWith("health: nats still down after 30 probes in a row (last: "
          + "java.lang.IllegalStateException: no PONG)");
      assertThat(dump).contains("\"stuck-flush\" WAITING waiting for java.util.concurrent.locks.ReentrantLock")
          .contains("held by \"reconnect-holder\"");
      assertThat(threadBlock(dump, "reconnect-holder")).contains("holds java.util.concurrent.locks.ReentrantLock");
      assertThat(threadBlock(dump, "stuck-flush")).doesNotContain("holds java.util.concurrent.locks.ReentrantLock");
    } finally {
      release.countDown();
    }
  }

  /** One thread's lines of a dump: from its name at the start of a line to the next thread's. */
  private static String threadBlock(String dump, String thread) {
    String lines = "\n" + dump;
    int start = lines.indexOf("\n\"" + thread + "\" ") + 1;
    assertThat(start).as("%s in the dump", thread).isPositive();
    int end = lines.indexOf("\n\"", start);
    return lines.substring(start, end < 0 ? lines.length() : end);
  }

  private DependencyHealth start(Map<String, Probe> probes) {
    return DependencyHealth.start(probes, PERIOD, TIMEOUT, 3, changes::add, registry);
  }

  private static Probe answering() {
    return () -> CompletableFuture.completedFuture(null);
  }

  private double up(String dependency) {
    return registry.scrape().stream()
        .filter(snapshot -> snapshot.getMetadata().getName().equals("messenger_dependency_up"))
        .flatMap(snapshot -> ((GaugeSnapshot) snapshot).getDataPoints().stream())
        .filter(point -> point.getLabels().get("dependency").equals(dependency))
        .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue)
        .findFirst().orElseThrow();
  }
}
