package dev.messenger.common.health;

import java.util.concurrent.CompletionStage;

/** One round trip to something a service needs; completes normally when it answered. */
@FunctionalInterface
public interface Probe {
  CompletionStage<?> ping();
}
