package dev.messenger.testing;

import java.util.Map;
import java.util.Optional;

/**
 * The infrastructure processes the tests started themselves, by name ("etcd", "nats", "cassandra"), with their
 * pids; a part reused from the environment (MESSENGER_* endpoints) is not among them.
 */
public record LocalParts(Map<String, Long> pids) {
  public LocalParts {
    pids = Map.copyOf(pids);
  }

  /** The pid of a part started here, if it was. */
  public Optional<Long> pid(String part) {
    return Optional.ofNullable(pids.get(part));
  }
}
