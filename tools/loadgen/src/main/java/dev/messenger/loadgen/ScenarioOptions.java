package dev.messenger.loadgen;

import dev.messenger.loadgen.run.Arrival;
import dev.messenger.loadgen.run.Scenario;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The knobs of the simulated traffic. */
final class ScenarioOptions {
  @Option(names = "--users", paramLabel = "N", defaultValue = "1000",
      description = "Simulated users (all processes together). Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--devices", paramLabel = "N", defaultValue = "1",
      description = "Devices per user, each with its own Connect stream. Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(names = "--contacts", paramLabel = "N", defaultValue = "1",
      description = "1:1 peers each user writes to; 1 = fixed pairs. Default: ${DEFAULT-VALUE}.")
  int contacts;

  @Option(names = "--rate", paramLabel = "MSG/S", description = "Messages per second each user sends (open "
      + "loop). Default: 0.1. 0 = hold idle streams only.")
  Double ratePerUser;

  @Option(names = "--total-rate", paramLabel = "MSG/S",
      description = "Total messages per second over all users, instead of --rate.")
  Double totalRate;

  @Option(names = "--message-size", paramLabel = "CHARS", defaultValue = "100",
      description = "Message body size, including the ~40-character check header. Default: ${DEFAULT-VALUE}.")
  int messageSize;

  @Option(names = "--group-share", paramLabel = "FRACTION", defaultValue = "0",
      description = "Share of sends that go to the sender's group (0..1). Default: ${DEFAULT-VALUE}.")
  double groupShare;

  @Option(names = "--group-size", paramLabel = "N[,N...]", split = ",", defaultValue = "10",
      description = "Sizes of the groups the users are split into (2..500); several values make a mix, used in "
          + "turn. Every user belongs to one group. Default: ${DEFAULT-VALUE}.")
  java.util.List<Integer> groupSizes;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "Measured sending time (or idle hold with --rate 0). Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Sending time before measuring (excluded from latency and throughput). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--drain", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "After the last send, how long to wait for acks and deliveries; what has not arrived then "
          + "gets more time while anything still arrives (late; up to 180 s, until 20 s pass with no arrival), and "
          + "what has not arrived after that is lost. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--connect-rate", paramLabel = "N/S", defaultValue = "500",
      description = "Device connects started per second during the ramp. Default: ${DEFAULT-VALUE}.")
  int connectRate;

  @Option(names = "--max-pending-connects", paramLabel = "N", defaultValue = "500",
      description = "Most devices connecting at once during the ramp (started, not yet caught up), so that a slow "
          + "server is not buried under retries. Default: ${DEFAULT-VALUE}.")
  int maxPendingConnects;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long the ramp may take; devices not caught up by then are left out. "
          + "Default: twice the ramp time plus 30 s, at least 60 s.")
  Duration connectTimeout;

  @Option(names = "--arrival", paramLabel = "KIND", defaultValue = "uniform",
      description = "uniform (evenly spaced per user, random phase) or poisson. Default: ${DEFAULT-VALUE}.")
  String arrival;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of every random choice. Default: ${DEFAULT-VALUE}.")
  long seed;

  Scenario toScenario() {
    if (ratePerUser != null && totalRate != null) {
      throw new IllegalArgumentException("give either --rate or --total-rate, not both");
    }
    double rate = totalRate != null ? totalRate / Math.max(1, users) : ratePerUser != null ? ratePerUser : 0.1;
    int devicesTotal = users * devices;
    Duration timeout = connectTimeout != null ? connectTimeout
        : Duration.ofSeconds(Math.max(60, 2L * devicesTotal / Math.max(1, connectRate) + 30));
    Arrival kind;
    try {
      kind = Arrival.valueOf(arrival.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--arrival must be uniform or poisson");
    }
    return new Scenario(users, devices, contacts, rate, messageSize, groupShare, warmup, duration, drain,
        connectRate, maxPendingConnects, timeout, kind, seed, groupSizes);
  }
}
