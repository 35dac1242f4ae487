package dev.messenger.push.decision;

/** What a due job comes to: a notification to send, or nothing, for a reason counted in metrics. */
public sealed interface Decision {
  /** Send this notification. */
  record Send(Notification notification) implements Decision {}

  /** Send nothing. */
  record Drop(DropReason reason) implements Decision {}

  /** Why a job sends nothing; the label values of {@code messenger_push_dropped_total}. */
  enum DropReason {
    /** The device has no registration (any more). */
    NO_REGISTRATION,
    /** The device received the message (its delivered cursor is at or past it) within the delay. */
    DELIVERED,
    /** This device was already notified of the message (or of a later one of the conversation). */
    ALREADY_NOTIFIED,
    /** The user muted the conversation. */
    MUTED,
    /** A later message of the same conversation has its own job, which will say how many. */
    COLLAPSED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
