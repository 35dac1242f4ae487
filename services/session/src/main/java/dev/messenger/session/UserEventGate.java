package dev.messenger.session;

import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.internal.v1.UserEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an event on a user subject through only when the subject's publisher may send its kind: messages and
 * their projection from routers, receipts, typing and heartbeat relays from session servers, presence from
 * Presence. NATS lets each service's login publish on its own user subjects alone, so a stolen session or
 * presence login cannot show a device a message no router committed. A refused event is counted, and
 * warned about at most once a minute.
 */
final class UserEventGate {
  private static final Logger log = LoggerFactory.getLogger(UserEventGate.class);
  private static final long WARNING_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

  private final Subjects subjects;
  private final Counter refused;
  private final LongSupplier nanoTime;
  private boolean warned;
  private long lastWarningNanos;
  private long refusedSinceWarning;

  UserEventGate(Subjects subjects, PrometheusRegistry registry, LongSupplier nanoTime) {
    this.subjects = subjects;
    this.nanoTime = nanoTime;
    this.refused = Counter.builder().name("messenger_session_user_events_refused_total")
        .help("events dropped before any device saw them because their user subject names a publisher that may "
            + "not send their kind (a NATS login used beyond its service, or a server of an older version), by kind")
        .labelNames("kind").register(registry);
    // Every kind starts at 0, so that rate() and alerts see it before the first refusal.
    for (UserEvent.EventCase kind : UserEvent.EventCase.values()) {
      if (publisherOf(kind).isPresent()) {
        refused.labelValues(label(kind));
      }
    }
  }

  /** The only publisher that may send events of {@code kind}; none for an event without a kind. */
  static Optional<UserEventPublisher> publisherOf(UserEvent.EventCase kind) {
    return switch (kind) {
      case MESSAGE, PROJECTED -> Optional.of(UserEventPublisher.ROUTER);
      case RECEIPT, TYPING, DEVICE_HEARTBEAT -> Optional.of(UserEventPublisher.SESSION);
      case PRESENCE -> Optional.of(UserEventPublisher.PRESENCE);
      case EVENT_NOT_SET -> Optional.empty();
    };
  }

  /** Whether {@code event}, which arrived on {@code subject}, may reach the user's devices. */
  boolean admits(String subject, UserEvent event) {
    Optional<UserEventPublisher> allowed = publisherOf(event.getEventCase());
    if (allowed.isEmpty()) {
      return false; // nothing to deliver (or a kind of a newer version): not a forgery
    }
    Optional<UserEventPublisher> publisher = subjects.publisherOf(subject);
    if (publisher.equals(allowed)) {
      return true;
    }
    refused.labelValues(label(event.getEventCase())).inc();
    warn(event.getEventCase(), publisher);
    return false;
  }

  private synchronized void warn(UserEvent.EventCase kind, Optional<UserEventPublisher> publisher) {
    refusedSinceWarning++;
    long now = nanoTime.getAsLong();
    if (warned && now - lastWarningNanos < WARNING_INTERVAL_NANOS) {
      return;
    }
    log.warn("dropped {} user event(s) on subjects whose publisher may not send them, the last a {} on the "
            + "subject of {}: a NATS login used beyond its service, or a server of an older version",
        refusedSinceWarning, label(kind), publisher.map(UserEventPublisher::token).orElse("no known publisher"));
    warned = true;
    lastWarningNanos = now;
    refusedSinceWarning = 0;
  }

  private static String label(UserEvent.EventCase kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
