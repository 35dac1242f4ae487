package dev.messenger.push.provider;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** How a provider answered one notification. Reasons are short, bounded strings (metric label values). */
public sealed interface SendResult {
  /** The provider accepted the notification for delivery. */
  record Accepted() implements SendResult {}

  /** A transient failure (5xx, 429, no connection): try again later, not sooner than {@code retryAfter}. */
  record Retryable(String reason, Optional<Duration> retryAfter) implements SendResult {
    public Retryable {
      requireNonNull(reason, "reason");
      requireNonNull(retryAfter, "retryAfter");
    }
  }

  /** A permanent refusal; {@code tokenInvalid} when the token will never work again (delete it). */
  record Rejected(String reason, boolean tokenInvalid) implements SendResult {
    public Rejected {
      requireNonNull(reason, "reason");
    }
  }
}
