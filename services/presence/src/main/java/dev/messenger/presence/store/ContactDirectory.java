package dev.messenger.presence.store;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Who hears of a user's presence changes without watching explicitly: their contacts. */
public interface ContactDirectory {
  /** The users {@code userId} has a 1:1 conversation with; empty when unknown. Never fails. */
  CompletionStage<Set<String>> contactsOf(String userId);
}
