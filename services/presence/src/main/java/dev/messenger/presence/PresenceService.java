package dev.messenger.presence;

import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.GetPresenceResponse;
import dev.messenger.api.v1.PresenceGrpc;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.SetPresenceVisibilityRequest;
import dev.messenger.api.v1.SetPresenceVisibilityResponse;
import dev.messenger.api.v1.WatchPresenceRequest;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.infra.SubscriptionBarrier;
import dev.messenger.common.limits.KeyedRateLimiter;
import dev.messenger.internal.v1.PresenceCommand;
import dev.messenger.internal.v1.VisibilityChanged;
import dev.messenger.presence.client.PresencePartitions;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.store.PresenceAudience;
import dev.messenger.presence.store.PresenceStore;
import dev.messenger.presence.store.StoredPresence;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public Presence API. Reads answer from the durable state (what watchers were last told), so any
 * instance answers for any user. WatchPresence registers its watches like a session stream does (through
 * this instance's own reporter) and forwards the updates that then arrive on the caller's user subject of presence (only presence
 * instances may publish there).
 * Users the caller may not see ({@link PresenceAudience}) are answered as hidden and never watched.
 */
final class PresenceService extends PresenceGrpc.PresenceImplBase {
  static final int MAX_GET_USERS = 200;
  static final int MAX_WATCH_USERS = 500;
  private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

  private final PresenceStore store;
  private final PresenceAudience audience;
  private final PresenceReporter watchReporter;
  private final Connection nats;
  private final Subjects subjects;
  private final Dispatcher dispatcher;
  private final SubscriptionBarrier barrier;
  private final int partitions;
  private final Executor executor;
  private final AtomicLong watchIds = new AtomicLong();
  private final KeyedRateLimiter watchCalls;

  PresenceService(PresenceStore store, PresenceAudience audience, PresenceReporter watchReporter, Connection nats,
      Subjects subjects, int partitions, Executor executor, KeyedRateLimiter watchCalls) {
    this.store = store;
    this.audience = audience;
    this.watchReporter = watchReporter;
    this.nats = nats;
    this.subjects = subjects;
    this.dispatcher = nats.createDispatcher();
    this.barrier = new SubscriptionBarrier(nats, subjects, Duration.ofSeconds(5));
    this.partitions = partitions;
    this.executor = executor;
    this.watchCalls = watchCalls;
  }

  @Override
  public void getPresence(GetPresenceRequest request, StreamObserver<GetPresenceResponse> responses) {
    String caller = Principal.current().userId();
    List<String> users = request.getUserIdsList();
    validate(users, MAX_GET_USERS);
    audience.visibleTo(caller, users).thenCompose(this::loadVisible).whenComplete((visible, error) -> {
      if (error != null) {
        log.warn("presence read failed: {}", error.toString());
        responses.onError(unavailable());
        return;
      }
      responses.onNext(GetPresenceResponse.newBuilder().addAllPresences(views(users, visible)).build());
      responses.onCompleted();
    });
  }

  @Override
  public void watchPresence(WatchPresenceRequest request, StreamObserver<PresenceUpdate> responses) {
    Principal caller = Principal.current();
    watchCalls.check(caller.userId()); // RESOURCE_EXHAUSTED / WATCH_RATE_LIMITED, before any work
    validate(request.getUserIdsList(), MAX_WATCH_USERS);
    Set<String> users = new LinkedHashSet<>(request.getUserIdsList());
    ServerCallStreamObserver<PresenceUpdate> out = (ServerCallStreamObserver<PresenceUpdate>) responses;
    WatchCall call = new WatchCall(out, users);
    out.setOnCancelHandler(call::ended);
    out.setOnReadyHandler(call::drain);
    String streamId = "watch-" + watchIds.incrementAndGet();
    SubscriptionBarrier.Mark mark = barrier.mark();
    Subscription subscription =
        dispatcher.subscribe(subjects.user(caller.userId(), UserEventPublisher.PRESENCE), message -> call.onUserEvent(message.getData()));
    call.onEnd(() -> {
      dispatcher.unsubscribe(subscription);
      watchReporter.unwatchAll(caller.userId(), streamId);
    });
    try {
      barrier.await(); // subscribed before reading, so no change falls in between
      if (barrier.reconnectedSince(mark)) {
        throw new TimeoutException("the bus reconnected while subscribing"); // its SUB may never have been sent
      }
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      call.fail(ApiErrors.unavailable("BUS_UNAVAILABLE", "the message bus did not answer; retry"));
      return;
    }
    audience.visibleTo(caller.userId(), users).thenCompose(visible -> {
      // Presence answers the watch with the current state as well: a change decided before the watch arrives
      // and stored after the read below would otherwise reach this call neither way.
      watchReporter.watch(caller.userId(), streamId, visible, List.of());
      return loadVisible(visible);
    }).whenComplete((visible, error) -> {
      if (error != null) {
        log.warn("presence read failed: {}", error.toString());
        call.fail(unavailable());
        return;
      }
      call.initial(views(users, visible));
    });
  }

  private CompletionStage<Map<String, StoredPresence>> loadVisible(Set<String> visible) {
    return store.loadAll(List.copyOf(visible)).thenApply(stored -> stored.stream()
        .collect(Collectors.toMap(StoredPresence::userId, Function.identity(), (a, b) -> a)));
  }

  /** In request order: what the caller may see, and everyone else as hidden. */
  private static List<PresenceUpdate> views(Collection<String> users, Map<String, StoredPresence> visible) {
    return users.stream()
        .map(user -> visible.getOrDefault(user, StoredPresence.concealed(user)).view())
        .toList();
  }

  @Override
  public void setPresenceVisibility(SetPresenceVisibilityRequest request,
      StreamObserver<SetPresenceVisibilityResponse> responses) {
    String userId = Principal.current().userId();
    boolean hidden = request.getHidden();
    store.setHidden(userId, hidden).thenRunAsync(() -> {
      PresenceCommand command = PresenceCommand.newBuilder()
          .setVisibility(VisibilityChanged.newBuilder().setUserId(userId).setHidden(hidden))
          .build();
      nats.publish(PresencePartitions.subject(subjects, PresencePartitions.of(userId, partitions)), command.toByteArray());
    }, executor).whenComplete((v, error) -> {
      if (error != null) {
        log.warn("presence visibility not stored: {}", error.toString());
        responses.onError(unavailable());
        return;
      }
      responses.onNext(SetPresenceVisibilityResponse.getDefaultInstance());
      responses.onCompleted();
    });
  }

  /** Stops taking watch subscriptions' messages. */
  void close() {
    nats.closeDispatcher(dispatcher);
    barrier.close();
  }

  private static void validate(List<String> users, int max) {
    if (users.size() > max) {
      throw ApiErrors.invalidArgument("TOO_MANY_USERS", "at most " + max + " users per request");
    }
    for (String userId : users) {
      if (!Tokens.isValidId(userId)) {
        throw ApiErrors.invalidArgument("INVALID_USER_ID", "not a valid user id");
      }
    }
  }

  private static io.grpc.StatusRuntimeException unavailable() {
    return ApiErrors.unavailable("STORE_UNAVAILABLE", "presence could not be read or written; retry");
  }
}
