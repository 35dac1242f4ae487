package dev.messenger.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits until a child process answers, failing with the tail of its log if it dies or takes too long. */
final class Readiness {
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final int LOG_LINES = 40;

  private Readiness() {}

  /** Polls {@code probe} until it succeeds; kills the process and throws if it exits or the timeout passes. */
  static void await(ChildProcess process, Duration timeout, BooleanSupplier probe) {
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!probe.getAsBoolean()) {
        if (!process.isAlive()) {
          int status = process.onExit().join();
          throw new InfrastructureException(
              process.name() + " exited with status " + status + " before it was ready; last lines of "
                  + process.logFile() + ":\n" + process.logTail(LOG_LINES));
        }
        if (System.nanoTime() - deadline > 0) {
          throw new InfrastructureException(
              process.name() + " was not ready within " + timeout.toSeconds() + " s; last lines of "
                  + process.logFile() + ":\n" + process.logTail(LOG_LINES));
        }
        pause();
      }
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
  }

  /** True when GET {@code uri} answers 200. */
  static BooleanSupplier httpOk(URI uri) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(PROBE_TIMEOUT)
        .build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(PROBE_TIMEOUT).GET().build();
    return () -> {
      try {
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InfrastructureException("interrupted while waiting for " + uri, e);
      }
    };
  }

  /** True when a TCP connection to {@code address} is accepted. */
  static BooleanSupplier acceptsConnections(InetSocketAddress address) {
    return () -> {
      try (Socket socket = new Socket()) {
        socket.connect(address, (int) PROBE_TIMEOUT.toMillis());
        return true;
      } catch (IOException e) {
        return false;
      }
    };
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while waiting for a process to start", e);
    }
  }
}
