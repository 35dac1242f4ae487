package dev.messenger.loadgen.presence;

import static java.util.Objects.requireNonNull;

import dev.messenger.client.ChannelFactory;
import dev.messenger.client.MessengerClient;
import io.grpc.ChannelCredentials;
import dev.messenger.client.MessengerListener;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.loadgen.net.GroupsClient;
import dev.messenger.loadgen.presence.ChurnPlanner.Connect;
import dev.messenger.loadgen.presence.ChurnPlanner.Disconnect;
import dev.messenger.loadgen.presence.ChurnPlanner.Step;
import dev.messenger.loadgen.presence.PresenceLedger.Kind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Runs a presence churn scenario against a deployment through the Java client library: connects the
 * watchers and sets their watches, then connects and disconnects the churning users on the open-loop
 * schedule, and accounts for every presence notification the watchers get ({@link PresenceLedger}).
 * One use per instance.
 */
public final class PresenceChurn {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  private static final Duration WATCHERS_TIMEOUT = Duration.ofSeconds(60);
  private static final int GROUP_LIMIT = 500;
  private static final Duration ANSWERS_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  private static final int ACTION_THREADS = 32;

  private final ChurnSettings settings;
  private final ChurnTarget target;
  private final Consumer<String> progress;
  private final Tokens tokens;
  private final ChannelCredentials credentials;
  private final Duration tokenTtl;
  private final PresenceLedger ledger;
  private final ChurnPlanner planner;
  private final ChurnErrors errors = new ChurnErrors();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Churner[] churners;
  private final List<MessengerClient> watchers = new ArrayList<>();
  private final ScheduledExecutorService loops;
  private final ExecutorService callbacks;
  private final ExecutorService actions;
  private final ScheduledExecutorService timers;
  private volatile long epoch;
  private volatile boolean closing;

  /**
   * @param progress receives a line every few seconds and notes worth showing; {@code line -> {}} for none
   */
  public PresenceChurn(ChurnSettings settings, ChurnTarget target, Consumer<String> progress) {
    this.settings = requireNonNull(settings, "settings");
    this.target = requireNonNull(target, "target");
    this.progress = requireNonNull(progress, "progress");
    this.tokens = new Tokens(target.tokenKey(), Clock.systemUTC());
    this.credentials = target.credentials();
    this.tokenTtl = settings.warmup().plus(settings.duration()).plus(settings.drain()).plusHours(1);
    this.ledger = new PresenceLedger(IntStream.range(0, settings.churners()).mapToObj(settings::churnerId).toList(),
        settings.onlineDelay().toNanos(), settings.grace().toNanos(), settings.margin().toNanos());
    this.planner = new ChurnPlanner(settings.churners(), settings.minOnline().toNanos(),
        settings.minOffline().toNanos(), settings.blipFraction(), settings.blipLength().toNanos(), settings.seed());
    this.churners = new Churner[settings.churners()];
    for (int i = 0; i < churners.length; i++) {
      churners[i] = new Churner(settings.churnerId(i));
    }
    this.loops = Executors.newScheduledThreadPool(target.clientThreads(), daemon("churn-client-loop"));
    this.callbacks = Executors.newFixedThreadPool(target.clientThreads(), daemon("churn-client-callbacks"));
    this.actions = Executors.newFixedThreadPool(ACTION_THREADS, daemon("churn-action"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("churn-timer"));
  }

  /**
   * Runs the scenario: watchers, warm-up, measured window, drain. Returns the result; the clients are closed.
   *
   * @throws IllegalStateException when the watchers cannot connect
   */
  public ChurnResult run() throws InterruptedException {
    try {
      connectWatchers();
      long answersMissing = awaitAnswers();
      long errorsBeforeSchedule = errors.total();
      epoch = System.nanoTime();
      long warmupEnd = epoch + settings.warmup().toNanos();
      long end = warmupEnd + settings.duration().toNanos();
      ledger.window(epoch, warmupEnd, end);
      timers.scheduleAtFixedRate(this::printProgress, PROGRESS_EVERY.toMillis(), PROGRESS_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      long maxLag = runSchedule(end - epoch);
      long scheduleEnd = System.nanoTime();
      awaitIdle(scheduleEnd + settings.connectTimeout().plus(settings.blipLength()).plusSeconds(30).toNanos());
      drain(scheduleEnd);
      return new ChurnResult(settings, target, ledger.tally(), answersMissing, planner.skipped(), maxLag / 1e6,
          errors.toMap(errorsBeforeSchedule));
    } finally {
      closeEverything();
    }
  }

  private void connectWatchers() throws InterruptedException {
    for (int i = 0; i < settings.watchers(); i++) {
      watchers.add(client(settings.watcherId(i), new WatcherListener(i, ledger, errors, () -> closing)).start());
    }
    long deadline = System.nanoTime() + WATCHERS_TIMEOUT.toNanos();
    int failed = 0;
    for (MessengerClient watcher : watchers) {
      if (!watcher.awaitCaughtUp(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
        failed++;
      }
    }
    if (failed > 0) {
      errors.watcherConnectFailures.addAndGet(failed);
      throw new IllegalStateException(failed + " of " + watchers.size() + " watchers could not connect to "
          + target.targets() + " within " + WATCHERS_TIMEOUT.toSeconds() + " s");
    }
    GroupsClient groups = new GroupsClient(target.targets().get(0), credentials, tokens, tokenTtl);
    for (int i = 0; i < watchers.size(); i++) {
      int[] watched = settings.watchedBy(i);
      List<String> users = Arrays.stream(watched).mapToObj(settings::churnerId).toList();
      shareGroupsWith(groups, settings.watcherId(i), users);
      ledger.watch(i, watched);
      watchers.get(i).watchPresence(users, List.of());
    }
  }

  /**
   * Only users who share a conversation see each other's presence: each watcher first creates groups with
   * the users it watches (a group holds {@value #GROUP_LIMIT} members, the watcher included). CreateGroup
   * answers once the members are projected, so the watches that follow are checked against them.
   */
  private static void shareGroupsWith(GroupsClient groups, String watcherId, List<String> users) {
    for (int from = 0, part = 0; from < users.size(); from += GROUP_LIMIT - 1, part++) {
      groups.create(watcherId, users.subList(from, Math.min(users.size(), from + GROUP_LIMIT - 1)),
          watcherId + "-watch-" + part);
    }
  }

  /** Waits for the answers to the watches (the current state of every watched user); returns how many never came. */
  private long awaitAnswers() {
    long deadline = System.nanoTime() + ANSWERS_TIMEOUT.toNanos();
    while (ledger.answers() < ledger.pairs() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    long missing = Math.max(0, ledger.pairs() - ledger.answers());
    if (missing > 0) {
      progress.accept("note: " + missing + " of " + ledger.pairs() + " watches were not answered with the current "
          + "state within " + ANSWERS_TIMEOUT.toSeconds() + " s; going on");
    }
    return missing;
  }

  /** Fires every transition due in [0, endOffset) on time, never waiting for the deployment; returns the max lag. */
  private long runSchedule(long endOffset) {
    ChurnSchedule schedule = new ChurnSchedule(settings.rate(), settings.arrivals(), settings.seed() ^ 0x5DEECE66DL);
    long maxLag = 0;
    for (long due = schedule.next(); due < endOffset; due = schedule.next()) {
      long now = System.nanoTime() - epoch;
      while (now < due) {
        LockSupport.parkNanos(due - now);
        now = System.nanoTime() - epoch;
      }
      maxLag = Math.max(maxLag, now - due);
      Step step = planner.next(System.nanoTime());
      if (step instanceof Connect connect) {
        submit(connect.churner(), () -> connect(connect.churner(), Kind.CONNECT));
      } else if (step instanceof Disconnect disconnect) {
        submit(disconnect.churner(), () -> disconnect(disconnect.churner(), disconnect.blipNanos()));
      }
    }
    return maxLag;
  }

  private void connect(int index, Kind kind) {
    Churner churner = churners[index];
    ChurnerListener listener = new ChurnerListener(index, kind, ledger, errors, () -> closing);
    MessengerClient client = client(churner.userId, listener);
    churner.client = client;
    churner.listener = listener;
    client.start();
    boolean caughtUp;
    try {
      caughtUp = client.awaitCaughtUp(settings.connectTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      caughtUp = false;
    }
    long connectedAt = listener.connectedAt();
    if (caughtUp && connectedAt != ChurnerListener.NOT_YET) {
      planner.online(index, connectedAt);
      return;
    }
    errors.churnerConnectFailures.incrementAndGet();
    retire(index);
    listener.closing();
    client.close();
    churner.client = null;
  }

  private void disconnect(int index, long blipNanos) {
    Churner churner = churners[index];
    churner.listener.closing();
    churner.client.close();
    long at = System.nanoTime();
    churner.client = null;
    boolean blip = blipNanos > 0;
    ledger.transition(index, blip ? Kind.BLIP_DISCONNECT : Kind.DISCONNECT, at);
    if (blip) {
      submitLater(index, blipNanos, () -> connect(index, Kind.BLIP_RECONNECT));
    } else {
      planner.offline(index, at);
    }
  }

  private void retire(int index) {
    ledger.retire(index);
    planner.retire(index);
  }

  private void submit(int index, Runnable action) {
    inFlight.incrementAndGet();
    actions.execute(() -> {
      try {
        action.run();
      } catch (RuntimeException e) {
        errors.actionFailures.incrementAndGet();
        retire(index);
        progress.accept("note: an action of " + churners[index].userId + " failed: " + e);
      } finally {
        inFlight.decrementAndGet();
      }
    });
  }

  private void submitLater(int index, long delayNanos, Runnable action) {
    inFlight.incrementAndGet();
    timers.schedule(() -> {
      try {
        submit(index, action);
      } finally {
        inFlight.decrementAndGet();
      }
    }, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Waits until no connect, disconnect or blip is under way (the schedule has ended). */
  private void awaitIdle(long deadline) {
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(POLL_NANOS);
    }
    if (inFlight.get() > 0) {
      progress.accept("note: " + inFlight.get() + " connects or disconnects still under way after the schedule");
    }
  }

  /**
   * Waits for the notifications still due, at most the drain period, but in any case until a blip's
   * unwanted notifications would have come (grace + online delay + margin + 1 s after the last transition).
   */
  private void drain(long scheduleEnd) {
    long quietUntil = ledger.lastTransitionAt() + settings.grace().plus(settings.onlineDelay())
        .plus(settings.margin()).plusSeconds(1).toNanos();
    long hardEnd = Math.max(scheduleEnd + settings.drain().toNanos(), quietUntil);
    while (true) {
      long now = System.nanoTime();
      if ((now >= quietUntil && ledger.outstanding() == 0) || now >= hardEnd) {
        return;
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private void printProgress() {
    long now = System.nanoTime();
    long warmupEnd = epoch + settings.warmup().toNanos();
    String phase = now < warmupEnd ? "warm-up" : now < warmupEnd + settings.duration().toNanos() ? "measuring"
        : "draining";
    progress.accept(String.format(Locale.ROOT,
        "%5.0fs %-9s transitions %,d, churners online %,d, notifications matched %,d, unexpected %,d, errors %,d",
        (now - epoch) / 1e9, phase, ledger.transitions(), planner.online(), ledger.received(), ledger.unexpected(),
        errors.total()));
  }

  private void closeEverything() throws InterruptedException {
    closing = true;
    timers.shutdownNow();
    List<Callable<Void>> closes = new ArrayList<>();
    watchers.forEach(w -> closes.add(() -> {
      w.close();
      return null;
    }));
    actions.invokeAll(closes);
    closes.clear();
    for (Churner churner : churners) {
      MessengerClient client = churner.client;
      if (client != null) {
        churner.listener.closing();
        closes.add(() -> {
          client.close();
          return null;
        });
      }
    }
    actions.invokeAll(closes);
    actions.shutdownNow();
    callbacks.shutdown();
    loops.shutdown();
    if (!loops.awaitTermination(5, TimeUnit.SECONDS)) {
      loops.shutdownNow();
    }
    callbacks.shutdownNow();
  }

  private MessengerClient client(String userId, MessengerListener listener) {
    String token = tokens.issue(new Principal(userId, "d0"), tokenTtl);
    return MessengerClient.builder()
        .targets(target.targets())
        .channelFactory(ChannelFactory.with(credentials))
        .tokenSupplier(() -> token)
        .listener(listener)
        .useDiscovery(target.useDiscovery())
        .callbackExecutor(callbacks)
        .scheduler(loops)
        .clientVersion("messenger-loadgen-presence/0.1")
        .build();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One churning user; its client is touched only by the one action under way for it. */
  private static final class Churner {
    final String userId;
    volatile MessengerClient client;
    volatile ChurnerListener listener;

    Churner(String userId) {
      this.userId = userId;
    }
  }
}
