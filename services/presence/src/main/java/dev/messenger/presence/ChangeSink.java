package dev.messenger.presence;

import java.util.Set;

/** Where the engine's decisions go: to the store and to the watchers. Implementations must not block. */
interface ChangeSink {
  /** A user's presence changed; {@code explicitWatchers} watch them explicitly now (contacts come on top). */
  void changed(int partition, PresenceChange change, Set<String> explicitWatchers);

  /** A new watch wants the watched user's current presence. */
  void currentWanted(String watchedUserId, String watcherUserId);

  /** The user hid or showed their presence: tell their watchers what they now see. */
  void visibilityChanged(String userId, Set<String> explicitWatchers);
}
