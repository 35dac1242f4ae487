package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * How one load-generator process runs its share of a scenario (not part of the scenario itself).
 *
 * @param runId names this run's users; the same in every process of a run
 * @param shard which users this process simulates
 * @param clientThreads threads that run the clients' event loops and listener callbacks (each)
 * @param rampProgress receives a line per second while devices connect
 * @param progress receives a sample per second while sending and draining
 * @param coordinator lines up the send phase with other processes
 * @param probe measures the server around the idle hold
 * @param window measures the server over the measurement window
 */
public record RunSettings(
    String runId,
    Shard shard,
    int clientThreads,
    Consumer<String> rampProgress,
    Consumer<SecondSample> progress,
    Coordinator coordinator,
    ServerProbe probe,
    WindowProbe window,
    Clock clock,
    Ticker ticker) {

  public RunSettings {
    requireNonNull(runId, "runId");
    requireNonNull(shard, "shard");
    requireNonNull(rampProgress, "rampProgress");
    requireNonNull(progress, "progress");
    requireNonNull(coordinator, "coordinator");
    requireNonNull(probe, "probe");
    requireNonNull(window, "window");
    requireNonNull(clock, "clock");
    requireNonNull(ticker, "ticker");
    if (!runId.matches("[a-z0-9]{1,12}")) {
      throw new IllegalArgumentException("a run id is 1 to 12 lowercase letters and digits");
    }
    if (clientThreads < 1) {
      throw new IllegalArgumentException("client threads must be at least 1");
    }
  }

  /** A whole run in one process, silent, with a fresh run id: for tests. */
  public static RunSettings quiet() {
    return new RunSettings(newRunId(), Shard.WHOLE, 2, line -> { }, sample -> { }, Coordinator.NONE,
        ServerProbe.NONE, WindowProbe.NONE, Clock.systemUTC(), Ticker.system());
  }

  public RunSettings withShard(Shard value) {
    return new RunSettings(runId, value, clientThreads, rampProgress, progress, coordinator, probe, window, clock,
        ticker);
  }

  /** Six random lowercase letters and digits. */
  public static String newRunId() {
    String alphabet = "abcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
