package dev.messenger.presence;

import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.internal.v1.UserEvent;
import dev.messenger.presence.store.ContactDirectory;
import dev.messenger.presence.store.PresenceStore;
import io.nats.client.Connection;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a decided change durable, then tells the watchers: one {@code UserEvent{presence}} on
 * {@code <ns>.user.presence.<watcher>} per watcher (contacts and explicit watchers, each once), none while the user
 * hides. One user's work runs in order; NATS publishing runs on the fan-out executor, never on a driver
 * thread.
 */
final class ChangePublisher implements ChangeSink {
  private static final Logger log = LoggerFactory.getLogger(ChangePublisher.class);

  private final PresenceStore store;
  private final ContactDirectory contacts;
  private final Connection nats;
  private final Subjects subjects;
  private final Executor fanoutExecutor;
  private final PresenceMetrics metrics;
  private final Clock clock;
  private final SerialQueues perUser = new SerialQueues();

  ChangePublisher(PresenceStore store, ContactDirectory contacts, Connection nats, Subjects subjects, Executor fanoutExecutor,
      PresenceMetrics metrics, Clock clock) {
    this.store = store;
    this.contacts = contacts;
    this.nats = nats;
    this.subjects = subjects;
    this.fanoutExecutor = fanoutExecutor;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void changed(int partition, PresenceChange change, Set<String> explicitWatchers) {
    metrics.changed();
    String userId = change.userId();
    perUser.submit(userId, () -> record(partition, change)
        .handle((v, error) -> {
          if (error != null) {
            log.warn("presence of a user not stored: {}", error.toString());
          }
          return null;
        })
        .thenCompose(v -> store.load(userId))
        .thenCompose(stored -> stored.hidden()
            ? CompletableFuture.completedFuture(null)
            : fanOut(userId, update(change), explicitWatchers)));
  }

  @Override
  public void currentWanted(String watchedUserId, String watcherUserId) {
    perUser.submit(watchedUserId, () -> store.load(watchedUserId).thenAcceptAsync(
        stored -> publish(Set.of(watcherUserId), watchedUserId, stored.view()), fanoutExecutor));
  }

  @Override
  public void visibilityChanged(String userId, Set<String> explicitWatchers) {
    perUser.submit(userId, () -> store.load(userId)
        .thenCompose(stored -> fanOut(userId, stored.view(), explicitWatchers)));
  }

  /** Users with publishing in flight (for tests and shutdown). */
  int pending() {
    return perUser.pending();
  }

  private CompletionStage<Void> record(int partition, PresenceChange change) {
    return change.online()
        ? store.recordOnline(partition, change.userId(), clock.millis())
        : store.recordOffline(partition, change.userId(), change.lastSeenMs());
  }

  private CompletionStage<Void> fanOut(String userId, PresenceUpdate update, Set<String> explicitWatchers) {
    return contacts.contactsOf(userId).thenAcceptAsync(contactIds -> {
      Set<String> watchers = new LinkedHashSet<>(contactIds);
      watchers.addAll(explicitWatchers);
      publish(watchers, userId, update);
    }, fanoutExecutor);
  }

  private void publish(Set<String> watchers, String userId, PresenceUpdate update) {
    byte[] payload = UserEvent.newBuilder().setPresence(update).build().toByteArray();
    int sent = 0;
    for (String watcher : watchers) {
      if (watcher.equals(userId)) {
        continue;
      }
      try {
        nats.publish(subjects.user(watcher, UserEventPublisher.PRESENCE), payload);
        sent++;
      } catch (RuntimeException e) {
        log.debug("presence update not published: {}", e.toString());
      }
    }
    metrics.fannedOut(sent);
  }

  private static PresenceUpdate update(PresenceChange change) {
    return PresenceUpdate.newBuilder()
        .setUserId(change.userId())
        .setState(change.online() ? PresenceState.PRESENCE_STATE_ONLINE : PresenceState.PRESENCE_STATE_OFFLINE)
        .setLastSeenMs(change.online() ? 0 : change.lastSeenMs())
        .build();
  }
}
