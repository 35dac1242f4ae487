package dev.messenger.presence.store;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Who may see whose presence: a user sees their own, their 1:1 peers' (a conversation they share) and the
 * current members' of groups they belong to. Everyone else is shown as a hidden user is: offline, no last
 * seen, which tells nothing, not even whether the user exists.
 */
public interface PresenceAudience {
  /** Of {@code users}, those {@code viewer} may see. Fails when the store cannot answer (never guesses). */
  CompletionStage<Set<String>> visibleTo(String viewer, Collection<String> users);
}
