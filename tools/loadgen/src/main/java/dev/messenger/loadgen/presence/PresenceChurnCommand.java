package dev.messenger.loadgen.presence;

import dev.messenger.loadgen.DeploymentOptions;
import dev.messenger.loadgen.DurationConverter;
import dev.messenger.loadgen.report.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen presence}: presence churn, with notification latency and fan-out rate. */
@Command(name = "presence", mixinStandardHelpOptions = true, version = "messenger-loadgen presence 0.1",
    description = {"Presence churn against a running deployment (default: the stack of ./messenger up). Watchers "
        + "stay connected, each explicitly watching some of the churning users, who connect and disconnect on an "
        + "open-loop schedule; a share of the disconnects are blips shorter than the grace period, which must "
        + "cause no notification. Reports the latency from each transition to each watcher's notification "
        + "(ONLINE and OFFLINE, also net of the configured delays), the fan-out rate, and expected, received, "
        + "missing and unexpected notifications.",
        "Exit codes: 0 nothing missing or unexpected, 2 bad usage or the watchers could not connect, 3 notifications "
            + "missing or unexpected."})
public final class PresenceChurnCommand implements Callable<Integer> {
  /** Exit code of a run with missing or unexpected notifications. */
  static final int CHECKS_FAILED = 3;

  @Spec
  CommandSpec spec;

  @Mixin
  DeploymentOptions deployment = new DeploymentOptions();

  @Option(names = "--watchers", paramLabel = "W", defaultValue = "200",
      description = "Users that stay connected and watch. Default: ${DEFAULT-VALUE}.")
  int watchers;

  @Option(names = "--watches", paramLabel = "K", defaultValue = "20",
      description = "Churning users each watcher watches (at most 500). Default: ${DEFAULT-VALUE}.")
  int watches;

  @Option(names = "--churners", paramLabel = "C", defaultValue = "200",
      description = "Users that connect and disconnect. Default: ${DEFAULT-VALUE}.")
  int churners;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "20",
      description = "Transitions per second over all churning users (a blip's reconnect comes on top). "
          + "Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--arrivals", paramLabel = "KIND", defaultValue = "poisson",
      description = "poisson or fixed spacing of the transitions. Default: ${DEFAULT-VALUE}.")
  String arrivals;

  @Option(names = "--expected-online-delay", paramLabel = "DURATION", defaultValue = "1s",
      converter = DurationConverter.class,
      description = "The deployment's presence online delay. Default: ${DEFAULT-VALUE}.")
  Duration onlineDelay;

  @Option(names = "--expected-grace", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "The deployment's presence grace period. Default: ${DEFAULT-VALUE}.")
  Duration grace;

  @Option(names = "--margin", paramLabel = "DURATION", defaultValue = "500ms", converter = DurationConverter.class,
      description = "How far holds stay from the configured delays. Default: ${DEFAULT-VALUE}.")
  Duration margin;

  @Option(names = "--min-online", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Shortest online hold. Default: online delay + 1 s.")
  Duration minOnline;

  @Option(names = "--min-offline", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Shortest offline hold (not blips). Default: grace + 2 s.")
  Duration minOffline;

  @Option(names = "--blip-fraction", paramLabel = "F", defaultValue = "0.2",
      description = "Share of disconnects that are blips. Default: ${DEFAULT-VALUE}.")
  double blipFraction;

  @Option(names = "--blip-length", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Longest blip (each lasts between half of it and all of it); must stay below the grace "
          + "period minus the margin. Default: grace / 2.")
  Duration blipLength;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "Churn before measuring. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
      description = "Measured window. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--drain", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
      description = "Longest wait for notifications still due after the schedule. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "A churning user not caught up after this is dropped from the run. Default: ${DEFAULT-VALUE}.")
  Duration connectTimeout;

  @Option(names = "--prefix", paramLabel = "ID",
      description = "Start of every user id of the run. Default: pc- and 8 random hex digits, new per run.")
  String prefix;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the schedule. Default: random.")
  Long seed;

  @Option(names = "--client-threads", paramLabel = "N", defaultValue = "4",
      description = "Threads for the clients' event loops, and as many for callbacks. Default: ${DEFAULT-VALUE}.")
  int clientThreads;

  @Option(names = "--report", paramLabel = "FILE", defaultValue = "presence-report.json",
      description = "Where the JSON report goes. Default: ${DEFAULT-VALUE}.")
  Path report;

  /**
   * Runs the command on its own ({@code java -cp … dev.messenger.loadgen.presence.PresenceChurnCommand}); as
   * {@code ./messenger loadgen presence} it runs as a subcommand of LoadgenMain instead.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PresenceChurnCommand())
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
            commandLine.getErr().println("loadgen presence: " + error.getMessage());
            return 2;
          }
          throw error;
        })
        .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter terminal = spec.commandLine().getOut();
    ChurnSettings settings = settings();
    ChurnTarget target = new ChurnTarget(deployment.targets(), deployment.key(), deployment.discovery(),
        clientThreads, deployment.tlsCaFile());
    terminal.printf("presence churn %s: %,d watchers, %,d churning users, %.1f transitions/s against %s; "
            + "warm-up %d s, measured %d s%n", settings.prefix(), settings.watchers(), settings.churners(),
        settings.rate(), target.targets(), settings.warmup().toSeconds(), settings.duration().toSeconds());
    terminal.flush();
    ChurnResult result = new PresenceChurn(settings, target, line -> {
      terminal.println(line);
      terminal.flush();
    }).run();
    Path parent = report.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    write(report, Json.write(ChurnReport.toJson(result)));
    terminal.println();
    terminal.print(ChurnReport.summary(result));
    terminal.println("report         " + report);
    terminal.flush();
    return result.tally().passed() ? 0 : CHECKS_FAILED;
  }

  ChurnSettings settings() {
    Arrivals kind = switch (arrivals.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "poisson" -> Arrivals.POISSON;
      case "fixed" -> Arrivals.FIXED;
      default -> throw new IllegalArgumentException("--arrivals must be poisson or fixed");
    };
    ChurnSettings d = ChurnSettings.defaults();
    return new ChurnSettings(prefix != null ? prefix : ChurnSettings.newPrefix(), watchers, watches, churners, rate,
        kind, minOnline != null ? minOnline : ChurnSettings.defaultMinOnline(onlineDelay),
        minOffline != null ? minOffline : ChurnSettings.defaultMinOffline(grace), blipFraction,
        blipLength != null ? blipLength : ChurnSettings.defaultBlipLength(grace), onlineDelay, grace, margin,
        warmup, duration, drain, connectTimeout, seed != null ? seed : d.seed());
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
