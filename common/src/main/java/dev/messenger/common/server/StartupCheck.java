package dev.messenger.common.server;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the part of a service's start that may refuse (e.g. a configuration that disagrees with the
 * deployment's): a refusal is logged as one clear line and ends the JVM with status 2, since the etcd, NATS
 * and CQL clients opened before it would otherwise keep a half-started process alive.
 */
public final class StartupCheck {
  private static final Logger log = LoggerFactory.getLogger(StartupCheck.class);

  private StartupCheck() {}

  public static <T> T orExit(Supplier<T> start) {
    try {
      return start.get();
    } catch (IllegalStateException | IllegalArgumentException e) {
      log.error("refusing to start: {}", e.getMessage(), e);
      System.exit(2);
      throw e; // not reached
    }
  }
}
