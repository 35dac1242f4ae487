package dev.messenger.systemtests.infra;

import java.util.concurrent.ThreadLocalRandom;

/** Base ports for a whole stack (StackMain uses base + 100 ... base + 2500) in a test run. */
final class StackPorts {
  private StackPorts() {}

  /**
   * A random base whose ports all lie below Linux's ephemeral range (32768 and up): a port in that range may
   * be the local end of any open connection on the machine, and binding it then fails (a CI run lost the
   * push service's port to one).
   */
  static int randomBase() {
    return 10_000 + ThreadLocalRandom.current().nextInt(170) * 100;
  }
}
