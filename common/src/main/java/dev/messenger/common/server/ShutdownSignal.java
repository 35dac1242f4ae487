package dev.messenger.common.server;

import java.util.concurrent.CountDownLatch;

/** Blocks {@code main} until SIGTERM or Ctrl-C, then runs the shutdown action once and lets the JVM exit. */
public final class ShutdownSignal {
  private final CountDownLatch stopped = new CountDownLatch(1);

  private ShutdownSignal() {}

  /** Registers {@code onShutdown} to run on SIGTERM/SIGINT; {@link #await()} returns after it ran. */
  public static ShutdownSignal install(Runnable onShutdown) {
    ShutdownSignal signal = new ShutdownSignal();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    onShutdown.run();
                  } finally {
                    signal.stopped.countDown();
                  }
                },
                "shutdown"));
    return signal;
  }

  public void await() throws InterruptedException {
    stopped.await();
  }
}
