package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.api.v1.Cursor;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.SendRequest;
import io.grpc.ManagedChannel;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A device's connection to the messenger: discovers a session server, keeps one {@code Session.Connect}
 * stream open, reconnects with jittered backoff, resumes from the device's cursor, and resends
 * unacknowledged sends with their original client message ids.
 *
 * <pre>{@code
 * MessengerClient client = MessengerClient.builder()
 *     .target("127.0.0.1:7100")
 *     .tokenSupplier(() -> token)
 *     .listener(myListener)
 *     .build().start();
 * SendAck ack = client.sendTo("bob", "hello").get();
 * }</pre>
 *
 * <p>Thread-safe. Listener callbacks run one at a time, in order, on the callback executor.
 */
public final class MessengerClient implements AutoCloseable {
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
  private static final Duration CHANNEL_GRACE = Duration.ofSeconds(1);

  private final ClientCore core;
  private final ClientMessageIds ids;
  private final List<ExecutorService> ownedExecutors;

  private MessengerClient(ClientConfig config, List<ExecutorService> ownedExecutors) {
    this.core = new ClientCore(config);
    this.ids = new ClientMessageIds(config.clock(), config.random());
    this.ownedExecutors = List.copyOf(ownedExecutors);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts connecting (in the background); returns this. Calling it again does nothing. */
  public MessengerClient start() {
    core.start();
    return this;
  }

  /**
   * Sends to an existing conversation. The future completes with the SendAck once the message is stored
   * (possibly after reconnects), or fails with {@link SendFailedException} (rejected for good),
   * {@link OutboxFullException} or {@link ClientClosedException}.
   */
  public CompletableFuture<SendAck> send(String conversationId, String body) {
    requireNonNull(conversationId, "conversationId");
    requireNonNull(body, "body");
    return core.send(SendRequest.newBuilder()
        .setClientMessageId(ids.next()).setConversationId(conversationId).setBody(body).build());
  }

  /** Sends in the 1:1 conversation with {@code userId}, creating it on first use. See {@link #send}. */
  public CompletableFuture<SendAck> sendTo(String userId, String body) {
    requireNonNull(userId, "userId");
    requireNonNull(body, "body");
    return core.send(SendRequest.newBuilder()
        .setClientMessageId(ids.next()).setToUserId(userId).setBody(body).build());
  }

  /** Marks the conversation read up to and including {@code upToSeq} (coalesced, sent when connected). */
  public void markRead(String conversationId, long upToSeq) {
    core.markRead(requireNonNull(conversationId, "conversationId"), upToSeq);
  }

  /** Tells the other members that this user is typing, or stopped (best effort, dropped if offline). */
  public void setTyping(String conversationId, boolean typing) {
    core.setTyping(requireNonNull(conversationId, "conversationId"), typing);
  }

  /**
   * Changes the set of users whose presence this device receives (at most 500, kept across reconnects).
   *
   * @throws IllegalArgumentException when the set would exceed 500 users
   */
  public void watchPresence(Collection<String> add, Collection<String> remove) {
    core.watchPresence(Set.copyOf(add), Set.copyOf(remove));
  }

  /** The device's cursor: per conversation, the highest seq the listener has processed. */
  public Cursor cursor() {
    return core.cursor();
  }

  public ConnectionState state() {
    return core.state();
  }

  /**
   * Waits until catch-up is complete and processed by the listener; false on timeout or when the client
   * closed. Do not call it from a listener callback.
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return core.awaitState(ConnectionState.CAUGHT_UP, timeout);
  }

  public ClientStats stats() {
    return core.stats();
  }

  /** The pending sends lane by lane (who holds each, what waits behind it): for diagnosing unanswered sends. */
  public CompletableFuture<String> describeSends() {
    return core.describeSends();
  }

  /**
   * Closes the stream (after acknowledging what was processed), saves the cursor and releases channels
   * and the executors the client made itself. Pending send futures fail with
   * {@link ClientClosedException}; the sends stay in the {@link Outbox}.
   */
  @Override
  public void close() {
    List<ManagedChannel> channels = List.of();
    boolean inside = core.inCallbackOrLoop();
    try {
      if (!inside) {
        channels = core.close().get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        core.callbacksDrained().get(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        core.close().thenRun(() -> ownedExecutors.forEach(ExecutorService::shutdown));
      }
      long deadline = System.nanoTime() + CHANNEL_GRACE.toNanos();
      for (ManagedChannel channel : channels) {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          channel.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      channels.forEach(ManagedChannel::shutdownNow);
    } finally {
      if (!inside) {
        ownedExecutors.forEach(ExecutorService::shutdown);
      }
    }
  }

  /** Builds a {@link MessengerClient}; only the targets and the token supplier are required. */
  public static final class Builder {
    private final List<String> targets = new ArrayList<>();
    private Supplier<String> tokenSupplier;
    private CursorStore cursorStore = new InMemoryCursorStore();
    private Outbox outbox = new InMemoryOutbox();
    private MessengerListener listener = new MessengerListener() {};
    private Executor callbackExecutor;
    private ScheduledExecutorService scheduler;
    private BackoffSettings backoff = BackoffSettings.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private Random random;
    private ChannelFactory channelFactory = ChannelFactory.plaintext();
    private String clientVersion = "messenger-java/0.1";
    private int flowControlWindow = 64;
    private Duration discoveryTimeout = Duration.ofSeconds(3);
    private boolean useDiscovery = true;
    private Duration welcomeTimeout = Duration.ofSeconds(10);
    private Duration ackMaxDelay = Duration.ofMillis(100);
    private int ackMaxMessages = 64;

    private Builder() {}

    /** Adds a bootstrap target, "host:port" of any session server; tried in turn for discovery. */
    public Builder target(String target) {
      targets.add(requireNonNull(target, "target"));
      return this;
    }

    public Builder targets(Collection<String> targets) {
      targets.forEach(this::target);
      return this;
    }

    /** Supplies the bearer token; called on every (re)connect, on the event loop, so keep it quick. */
    public Builder tokenSupplier(Supplier<String> tokenSupplier) {
      this.tokenSupplier = requireNonNull(tokenSupplier, "tokenSupplier");
      return this;
    }

    /** Where the cursor lives; default {@link InMemoryCursorStore}. */
    public Builder cursorStore(CursorStore cursorStore) {
      this.cursorStore = requireNonNull(cursorStore, "cursorStore");
      return this;
    }

    /** Where unacknowledged sends live; default {@link InMemoryOutbox} of 1,000 entries. */
    public Builder outbox(Outbox outbox) {
      this.outbox = requireNonNull(outbox, "outbox");
      return this;
    }

    public Builder listener(MessengerListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /** Runs listener callbacks (serialized per client); default: one daemon thread per client. */
    public Builder callbackExecutor(Executor callbackExecutor) {
      this.callbackExecutor = requireNonNull(callbackExecutor, "callbackExecutor");
      return this;
    }

    /**
     * Runs the client's event loop and timers (serialized per client, so one scheduler may serve many
     * clients); default: one daemon thread per client.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    public Builder backoff(BackoffSettings backoff) {
      this.backoff = requireNonNull(backoff, "backoff");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Source of jitter, server choice among ties and client message ids; default {@link SecureRandom}. */
    public Builder random(Random random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /** How channels are made; default {@link ChannelFactory#plaintext()}. */
    public Builder channelFactory(ChannelFactory channelFactory) {
      this.channelFactory = requireNonNull(channelFactory, "channelFactory");
      return this;
    }

    /** Sent in Hello for the server's logs, at most 64 characters. */
    public Builder clientVersion(String clientVersion) {
      this.clientVersion = requireNonNull(clientVersion, "clientVersion");
      return this;
    }

    /** How many received frames may wait for processing before the server is held back; default 64. */
    public Builder flowControlWindow(int frames) {
      this.flowControlWindow = frames;
      return this;
    }

    /**
     * Whether to ask the bootstrap target which session server to use (the default) or to connect to the
     * bootstrap target itself, e.g. to pin a device to one server.
     */
    public Builder useDiscovery(boolean useDiscovery) {
      this.useDiscovery = useDiscovery;
      return this;
    }

    public Builder discoveryTimeout(Duration timeout) {
      this.discoveryTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long to wait for Welcome after opening a stream before trying again; default 10 s. */
    public Builder welcomeTimeout(Duration timeout) {
      this.welcomeTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Delivery acks go out at least every {@code maxDelay} or every {@code maxMessages} per conversation. */
    public Builder ackBatching(Duration maxDelay, int maxMessages) {
      this.ackMaxDelay = requireNonNull(maxDelay, "maxDelay");
      this.ackMaxMessages = maxMessages;
      return this;
    }

    /** Builds the client without connecting; call {@link MessengerClient#start()}. */
    public MessengerClient build() {
      if (tokenSupplier == null) {
        throw new IllegalStateException("a token supplier is required");
      }
      if (targets.isEmpty()) {
        throw new IllegalStateException("at least one bootstrap target is required");
      }
      List<ExecutorService> owned = new ArrayList<>();
      Executor callbacks = callbackExecutor;
      if (callbacks == null) {
        ExecutorService executor = Executors.newSingleThreadExecutor(daemon("messenger-client-callbacks"));
        owned.add(executor);
        callbacks = executor;
      }
      ScheduledExecutorService loop = scheduler;
      if (loop == null) {
        ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(daemon("messenger-client-loop"));
        owned.add(executor);
        loop = executor;
      }
      ClientConfig config = new ClientConfig(targets, tokenSupplier, cursorStore, outbox, listener,
          callbacks, loop, backoff, clock, random == null ? new SecureRandom() : random, channelFactory,
          clientVersion, flowControlWindow, discoveryTimeout, welcomeTimeout, ackMaxDelay, ackMaxMessages, useDiscovery);
      return new MessengerClient(config, owned);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
      return runnable -> {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
      };
    }
  }
}
