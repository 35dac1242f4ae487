package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.SendAck;
import dev.messenger.client.ClientStats;
import dev.messenger.client.MessengerClient;
import dev.messenger.client.OutboxFullException;
import dev.messenger.common.auth.DevDefaults;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.loadgen.net.ConnectionPool;
import dev.messenger.loadgen.net.GroupsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One process's share of a load run, in phases: connect every device (ramp), admit those that caught
 * up, send on the clock for warm-up plus duration, drain, count. Sends and checks go through the Java
 * client library exactly as an app's would.
 */
public final class LoadRun {
  private static final Duration TOKEN_TTL = Duration.ofDays(2);
  /** After the drain, how much longer deliveries still missing may take before they count as lost. */
  private static final Duration LATE_CHECK = Duration.ofSeconds(180);
  /** ... unless nothing at all arrives for this long: the deployment has drained. */
  private static final Duration LATE_QUIET = Duration.ofSeconds(20);
  /** After the waiting ends, how long deliveries of messages acknowledged before may still take. */
  private static final Duration DELIVERY_GRACE = Duration.ofSeconds(10);
  private static final int MISSING_SHOWN = 20;

  private final Scenario scenario;
  private final Target target;
  private final RunSettings settings;
  private final RunBooks books;
  /** Set once the run stops waiting for answers: later acks are not counted (see {@link #sendAndCount}). */
  private volatile boolean acksClosed;

  public LoadRun(Scenario scenario, Target target, RunSettings settings) {
    this.scenario = requireNonNull(scenario, "scenario");
    this.target = requireNonNull(target, "target");
    this.settings = requireNonNull(settings, "settings");
    this.books = new RunBooks(settings.runId(), settings.ticker());
  }

  /** Runs every phase; blocking. */
  public RunResult execute() throws InterruptedException {
    Instant startedAt = settings.clock().instant();
    Population population = Population.create(scenario, settings.shard(), settings.runId(), books);
    ScheduledExecutorService loops = Executors.newScheduledThreadPool(settings.clientThreads(), daemon("lg-loop"));
    ExecutorService callbacks = Executors.newFixedThreadPool(settings.clientThreads(), daemon("lg-callbacks"));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("lg-sampler"));
    ConnectionPool pool =
        new ConnectionPool(target.streamsPerConnection(), target.sourceAddresses(), target.credentials());
    try {
      buildClients(population, pool, loops, callbacks);
      settings.probe().before();
      long rampNanos = new Ramp(settings.ticker(), settings.rampProgress())
          .connect(population.devices(), scenario.connectRate(), scenario.maxPendingConnects(),
              scenario.connectTimeout(), books.counters());
      GroupsClient groups =
          new GroupsClient(target.bootstrap().get(0), target.credentials(), new Tokens(target.tokenKey(), settings.clock()), TOKEN_TTL);
      Ledger ledger = population.admitGroups(population.admit(), groups::create,
          settings.runId() + "-s" + settings.shard().index());
      List<SimDevice> dropped = population.devices().stream().filter(d -> !d.caughtUpOnce()).toList();
      closeAll(dropped);
      int connected = population.devices().size() - dropped.size();
      settings.coordinator().ready(connected, population.devices().size());
      return sendAndCount(startedAt, population, ledger, timer, pool, rampNanos, dropped.size());
    } finally {
      timer.shutdownNow();
      closeAll(population.devices());
      pool.close();
      loops.shutdownNow();
      callbacks.shutdownNow();
    }
  }

  private RunResult sendAndCount(Instant startedAt, Population population, Ledger ledger,
      ScheduledExecutorService timer, ConnectionPool pool, long rampNanos, int neverConnected)
      throws InterruptedException {
    long warmup = scenario.warmup().toNanos();
    long sendEnd = warmup + scenario.duration().toNanos();
    long epoch = settings.ticker().nanoTime();
    long cpuAtStart = ProcessUsage.cpuNanos();
    books.start(ledger, epoch, warmup, sendEnd);
    Sampler sampler = new Sampler(books, warmup, sendEnd, settings.progress());
    timer.scheduleAtFixedRate(sampler::sample, 1, 1, TimeUnit.SECONDS);
    timer.schedule(settings.window()::windowStarts, warmup, TimeUnit.NANOSECONDS);
    Pacer pacer = new Pacer(population.users(), scenario.ratePerUser(), scenario.arrival(),
        scenario.seed() ^ settings.shard().index(), settings.ticker(), LockSupport::parkNanos);
    // The lateness reported is the measurement window's: what the warm-up recorded is dropped when it ends.
    timer.schedule(() -> {
      pacer.lagSinceLastCall();
    }, Math.max(0, epoch + warmup - settings.ticker().nanoTime()),
        TimeUnit.NANOSECONDS);
    pacer.run(epoch, sendEnd, (user, at) -> fire(user, at, pacer));
    waitUntil(epoch + sendEnd, () -> false);
    int liveAtEnd = books.counters().live();
    Map<String, Object> metrics = settings.window().windowEnds();
    Map<String, Object> process = new LinkedHashMap<>(ProcessUsage.snapshot(ProcessUsage.cpuNanos() - cpuAtStart,
        (settings.ticker().nanoTime() - epoch) / 1e9));
    org.HdrHistogram.Histogram lateness = pacer.lagSinceLastCall();
    process.put("pacer_lag_p50_ms", lateness.getValueAtPercentile(50) / 1000.0);
    process.put("pacer_lag_p99_ms", lateness.getValueAtPercentile(99) / 1000.0);
    Map<String, Object> server = new LinkedHashMap<>(settings.probe().after(liveAtEnd));
    if (!metrics.isEmpty()) {
      server.put("metrics_over_window", metrics);
    }
    waitUntil(epoch + sendEnd + scenario.drain().toNanos(),
        () -> books.counters().settled() && ledger.tally().lost() == 0);
    long lostAtDrainEnd = ledger.tally().lost();
    if (lostAtDrainEnd > 0) {
      awaitLateDeliveries(ledger);
    }
    // From here on an ack no longer makes a message expected: one that came at the very end (an overloaded
    // deployment's backlog can pause for longer than the quiet period, then move again) would otherwise be
    // counted as lost at devices its delivery had no time to reach. What was acknowledged before gets a
    // short grace for deliveries on their way.
    acksClosed = true;
    if (books.counters().unresolved() > 0) {
      describeUnanswered(population);
    }
    if (ledger.tally().lost() > 0) {
      waitUntil(settings.ticker().nanoTime() + DELIVERY_GRACE.toNanos(), () -> ledger.tally().lost() == 0);
      describeMissing(ledger, population);
    }
    timer.shutdown();
    timer.awaitTermination(2, TimeUnit.SECONDS);
    sampler.sample();
    return result(startedAt, population, ledger, sampler, pool, rampNanos, neverConnected, liveAtEnd,
        pacer.maxLagNanos(), server, process, lostAtDrainEnd);
  }

  private void fire(SimUser user, long scheduled, Pacer pacer) {
    SimDevice device = user.nextSender();
    SimUser.Contact contact = user.pickContact(pacer.random());
    SimUser.Group group = user.group();
    boolean toGroup = group != null && pacer.random().nextDouble() < scenario.groupShare();
    ConversationLedger ledger = toGroup ? group.ledger() : contact.ledger();
    int slot = ledger.slotOf(device.index());
    int seq = ledger.schedule(slot);
    RunCounters counters = books.counters();
    counters.scheduled.increment();
    if (books.inWindow(scheduled)) {
      counters.scheduledInWindow.increment();
    }
    String body = new MessageHeader(settings.runId(), device.index(), seq, scheduled).body(scenario.messageBytes());
    CompletableFuture<SendAck> answer;
    try {
      answer = toGroup
          ? device.client().send(group.conversationId(), body)
          : device.client().sendTo(contact.peerId(), body);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((ack, error) -> {
      long now = books.now();
      if (error == null && acksClosed) {
        return; // answered after the waiting ended: counted as unanswered, its deliveries not expected
      }
      if (error == null) {
        ledger.acked(slot, seq, ack.getSeq());
        counters.acked.increment();
        counters.expected.add(ledger.participantCount());
        if (books.inWindow(now)) {
          counters.ackedInWindow.increment();
        }
        books.latency().ack(now - scheduled, books.inWindow(scheduled));
        return;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (cause instanceof OutboxFullException) {
        ledger.notSent(slot, seq);
        counters.notSent.increment();
        books.errors().record("CLIENT_OUTBOX_FULL", "");
      } else {
        ledger.failed(slot, seq);
        counters.failed.increment();
      }
    });
  }

  /**
   * Late or lost? Waits while deliveries or acks still arrive (an overloaded deployment drains its backlog
   * long after the last send): until nothing is missing, nothing arrived for {@link #LATE_QUIET}, or
   * {@link #LATE_CHECK} passed. What arrives meanwhile was late; only what never arrives counts as lost.
   */
  private void awaitLateDeliveries(Ledger ledger) {
    RunCounters counters = books.counters();
    long[] last = {counters.firstDeliveries.sum() + counters.acked.sum(), settings.ticker().nanoTime()};
    waitUntil(settings.ticker().nanoTime() + LATE_CHECK.toNanos(), () -> {
      long now = settings.ticker().nanoTime();
      long arrived = counters.firstDeliveries.sum() + counters.acked.sum();
      if (arrived != last[0]) {
        last[0] = arrived;
        last[1] = now;
      }
      return ledger.tally().lost() == 0 || now - last[1] >= LATE_QUIET.toNanos();
    });
  }

  /** Names a few deliveries still missing, with what the receiving device knows, for whoever investigates. */
  private void describeMissing(Ledger ledger, Population population) {
    Map<Integer, SimDevice> byIndex = new java.util.HashMap<>();
    population.devices().forEach(d -> byIndex.put(d.index(), d));
    for (ConversationLedger.Missing m : ledger.missing(MISSING_SHOWN)) {
      SimDevice receiver = byIndex.get(m.receiverDevice());
      SimDevice sender = byIndex.get(m.senderDevice());
      long cursor = receiver.client().cursor().getSeqsOrDefault(m.conversationId(), 0);
      settings.rampProgress().accept(String.format(java.util.Locale.ROOT,
          "missing: %s seq %d from %s/%s at %s/%s (%s, newest seq received %d, cursor %d)",
          m.conversationId(), m.seq(), sender.user().id(), sender.deviceId(), receiver.user().id(),
          receiver.deviceId(), receiver.client().state(), m.receiverNewestSeq(), cursor));
    }
  }

  /** Sends nobody answered: where a few devices' pending sends stand (which send holds which conversation). */
  private void describeUnanswered(Population population) {
    int shown = 0;
    for (SimDevice device : population.devices()) {
      String description;
      try {
        description = device.client().describeSends().get(2, TimeUnit.SECONDS);
      } catch (Exception e) {
        continue;
      }
      if (description.contains("pending [")) {
        settings.rampProgress().accept("unanswered at " + device.user().id() + "/" + device.deviceId() + ": "
            + description.strip());
        if (++shown == MISSING_SHOWN) {
          return;
        }
      }
    }
  }

  private void waitUntil(long deadlineNanos, BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      long left = deadlineNanos - settings.ticker().nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(Math.min(left, 100_000_000));
    }
  }

  private RunResult result(Instant startedAt, Population population, Ledger ledger, Sampler sampler,
      ConnectionPool pool, long rampNanos, int neverConnected, int liveAtEnd, long maxLagNanos,
      Map<String, Object> server, Map<String, Object> process, long lostAtDrainEnd) {
    long streams = 0;
    long welcomes = 0;
    long redeliveries = 0;
    long gaps = 0;
    for (SimDevice device : population.devices()) {
      ClientStats stats = device.client().stats();
      streams += stats.streamsOpened();
      welcomes += stats.welcomes();
      redeliveries += stats.duplicatesDropped();
      gaps += stats.gapsDetected();
    }
    int connected = population.devices().size() - neverConnected;
    RunCounters counters = books.counters();
    ConnectionStats connections = new ConnectionStats(population.devices().size(), connected, welcomes,
        streams - welcomes + neverConnected, Math.max(0, welcomes - connected), counters.peak(), liveAtEnd,
        pool.connections(), target.streamsPerConnection(), pool.connectionsBySource(), rampNanos / 1e9);
    Tally tally = ledger.tally().withExtra(redeliveries, counters.foreignOutsideLedger.sum())
        .withLostAtDrainEnd(lostAtDrainEnd);
    return new RunResult(settings.runId(), startedAt, scenario,
        target.toMap(target.tokenKey().equals(DevDefaults.TOKEN_KEY)), settings.shard().toString(),
        scenario.duration().toNanos() / 1e9, tally, counters.scheduledInWindow.sum(), counters.ackedInWindow.sum(),
        counters.deliveredInWindow.sum(), books.latency().ackTotal(), books.latency().deliveryTotal(),
        books.latency().deliveryKinds(),
        sampler.samples(), connections, books.errors().byCode(), books.errors().byReason(), redeliveries, gaps,
        maxLagNanos / 1e6, server, process, ledger);
  }

  private void buildClients(Population population, ConnectionPool pool, ScheduledExecutorService loops,
      ExecutorService callbacks) {
    Tokens tokens = new Tokens(target.tokenKey(), settings.clock());
    DeviceRandoms randoms = new DeviceRandoms(scenario.seed(), settings.runId());
    for (SimDevice device : population.devices()) {
      String token = tokens.issue(new Principal(device.user().id(), device.deviceId()), TOKEN_TTL);
      device.attach(MessengerClient.builder()
          .targets(target.bootstrap())
          .tokenSupplier(() -> token)
          .listener(device)
          .callbackExecutor(callbacks)
          .scheduler(loops)
          .channelFactory(pool)
          .useDiscovery(target.useDiscovery())
          .random(randoms.forDevice(device.index()))
          .clock(settings.clock())
          .clientVersion("messenger-loadgen/0.1")
          .build());
    }
  }

  /** Closes clients in parallel (each close waits for its stream to end). */
  private static void closeAll(List<SimDevice> devices) throws InterruptedException {
    if (devices.isEmpty()) {
      return;
    }
    ExecutorService closer = Executors.newFixedThreadPool(8, daemon("lg-close"));
    for (SimDevice device : devices) {
      if (device.client() != null) {
        closer.execute(device.client()::close);
      }
    }
    closer.shutdown();
    if (!closer.awaitTermination(60, TimeUnit.SECONDS)) {
      closer.shutdownNow();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
