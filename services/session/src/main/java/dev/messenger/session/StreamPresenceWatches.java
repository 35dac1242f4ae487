package dev.messenger.session;

import dev.messenger.api.v1.PresenceWatch;
import dev.messenger.api.v1.ServerFrame;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.presence.store.PresenceAudience;
import dev.messenger.presence.store.StoredPresence;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's {@code PresenceWatch} frames: each is checked against the {@link PresenceAudience} and applied
 * in the order the frames came (a removal never overtakes the addition before it). Users the device may not
 * see are never watched; the stream is told they are offline with no last seen, as for a hidden user.
 */
final class StreamPresenceWatches {
  private static final Logger log = LoggerFactory.getLogger(StreamPresenceWatches.class);
  static final int MAX_ADDED_PER_FRAME = 500;

  private final Principal principal;
  private final PresenceReporter reporter;
  private final PresenceAudience audience;
  private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);

  StreamPresenceWatches(Principal principal, PresenceReporter reporter, PresenceAudience audience) {
    this.principal = principal;
    this.reporter = reporter;
    this.audience = audience;
  }

  /** Called on the stream's serial request thread; a malformed frame is refused at once. */
  synchronized void apply(DeviceStream stream, PresenceWatch watch) {
    if (watch.getAddUserIdsCount() > MAX_ADDED_PER_FRAME) {
      throw ApiErrors.resourceExhausted("WATCH_LIMIT", "a stream may watch at most " + MAX_ADDED_PER_FRAME + " users");
    }
    for (String id : watch.getAddUserIdsList()) {
      requireValid(id);
    }
    for (String id : watch.getRemoveUserIdsList()) {
      requireValid(id);
    }
    last = last
        .thenCompose(previous -> audience.visibleTo(principal.userId(), watch.getAddUserIdsList()))
        .thenAccept(visible -> {
          reporter.watch(principal.userId(), stream.streamId(), visible, watch.getRemoveUserIdsList());
          for (String user : watch.getAddUserIdsList()) {
            if (!visible.contains(user)) {
              stream.send(ServerFrame.newBuilder().setPresence(StoredPresence.concealed(user).view()).build());
            }
          }
        })
        .exceptionally(error -> {
          stream.send(ConnectHandler.errorFrame(refusal(error), ""));
          return null;
        });
  }

  private static StatusRuntimeException refusal(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    log.warn("presence watch not applied: {}", cause.toString());
    return ApiErrors.unavailable("PRESENCE_UNAVAILABLE", "who may be watched could not be checked; send the watch again");
  }

  private static void requireValid(String userId) {
    if (!Tokens.isValidId(userId)) {
      throw ApiErrors.invalidArgument("INVALID_USER_ID", "not a valid user id");
    }
  }
}
