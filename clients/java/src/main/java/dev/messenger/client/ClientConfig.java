package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/** Everything a client is built from; see {@link MessengerClient.Builder} for the meaning and defaults. */
record ClientConfig(
    List<String> targets,
    Supplier<String> tokenSupplier,
    CursorStore cursorStore,
    Outbox outbox,
    MessengerListener listener,
    Executor callbackExecutor,
    ScheduledExecutorService scheduler,
    BackoffSettings backoff,
    Clock clock,
    Random random,
    ChannelFactory channelFactory,
    String clientVersion,
    int flowControlWindow,
    Duration discoveryTimeout,
    Duration welcomeTimeout,
    Duration ackMaxDelay,
    int ackMaxMessages,
    boolean useDiscovery) {

  ClientConfig {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one bootstrap target is needed");
    }
    requireNonNull(tokenSupplier, "tokenSupplier");
    requireNonNull(cursorStore, "cursorStore");
    requireNonNull(outbox, "outbox");
    requireNonNull(listener, "listener");
    requireNonNull(callbackExecutor, "callbackExecutor");
    requireNonNull(scheduler, "scheduler");
    requireNonNull(backoff, "backoff");
    requireNonNull(clock, "clock");
    requireNonNull(random, "random");
    requireNonNull(channelFactory, "channelFactory");
    requireNonNull(clientVersion, "clientVersion");
    requireNonNull(discoveryTimeout, "discoveryTimeout");
    requireNonNull(welcomeTimeout, "welcomeTimeout");
    requireNonNull(ackMaxDelay, "ackMaxDelay");
    if (clientVersion.length() > 64) {
      throw new IllegalArgumentException("clientVersion is at most 64 characters");
    }
    if (flowControlWindow < 1 || ackMaxMessages < 1) {
      throw new IllegalArgumentException("flowControlWindow and ackMaxMessages must be positive");
    }
  }
}
