package dev.messenger.stack;

import dev.messenger.launcher.NatsUser;
import java.util.Optional;

/** One service process of the local stack: its module, main class, and ports. */
record ServiceSpec(String name, String module, String mainClass, int grpcPort, int metricsPort) {

  /** The NATS user this service logs in as; empty for a service that does not use NATS (History). */
  Optional<NatsUser> natsUser() {
    return switch (module) {
      case "services/session" -> Optional.of(NatsUser.SESSION);
      case "services/router" -> Optional.of(NatsUser.ROUTER);
      case "services/presence" -> Optional.of(NatsUser.PRESENCE);
      case "services/push" -> Optional.of(NatsUser.PUSH);
      default -> Optional.empty();
    };
  }
}
