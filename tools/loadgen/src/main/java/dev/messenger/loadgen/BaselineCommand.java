package dev.messenger.loadgen;

import dev.messenger.loadgen.baseline.Baseline;
import dev.messenger.loadgen.baseline.BaselineSettings;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.run.RunSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen baseline}: raw NATS, CQL and gRPC limits on the same infrastructure. */
@Command(name = "baseline", mixinStandardHelpOptions = true,
    description = {"Measure the raw limits the message path is built from, on the same infrastructure: NATS "
        + "publish->subscribe msgs/s and request-reply latency (jnats), CQL inserts/s and latency on tables "
        + "shaped like ours (ScyllaDB driver), plain and conditional, and gRPC bidi echo msgs/s. Writes "
        + "baseline.json, shaped like a run report."})
final class BaselineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  InfraOptions infra = new InfraOptions();

  @Option(names = "--parts", split = ",", paramLabel = "PART", description = "Which parts: nats, cql, grpc. "
      + "Default: all.")
  List<String> parts = new ArrayList<>(Baseline.PARTS);

  @Option(names = "--message-size", defaultValue = "100", description = "Payload bytes. Default: ${DEFAULT-VALUE}.")
  int messageSize;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
      description = "Unmeasured time before each phase. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "Measured time of each phase. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--cql-concurrency", defaultValue = "256",
      description = "CQL requests in flight for the throughput phases. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--grpc-window", defaultValue = "1000",
      description = "Messages in flight on the echo stream. Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(names = "--latency-rate", defaultValue = "500",
      description = "Requests per second of the latency phases (open loop). Default: ${DEFAULT-VALUE}.")
  double latencyRate;

  @Option(names = "--lwt-latency-rate", defaultValue = "100",
      description = "Conditional inserts per second of the LWT latency phase. Default: ${DEFAULT-VALUE}.")
  double lwtLatencyRate;

  @Mixin
  CqlScratchOptions scratch = new CqlScratchOptions();

  @Option(names = "--out", paramLabel = "FILE", description = "Default: .messenger/loadgen/baseline-<id>.json.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter terminal = spec.commandLine().getOut();
    for (String part : parts) {
      if (!Baseline.PARTS.contains(part)) {
        throw new IllegalArgumentException("unknown part " + part + "; choose from " + Baseline.PARTS);
      }
    }
    String id = RunSettings.newRunId();
    BaselineSettings settings = new BaselineSettings(messageSize, warmup, duration, concurrency, window, latencyRate,
        lwtLatencyRate);
    Map<String, Object> report;
    try {
      report = new Baseline(infra.resolve(), settings, scratch.replication, scratch.consistencyLevel(),
          Clock.systemUTC(), terminal).measure(parts, id);
    } catch (RuntimeException | java.io.IOException e) {
      throw new IllegalStateException("baseline failed: " + e.getMessage() + "\nIs the stack up? Give the "
          + "endpoints that ./messenger up printed ('nats ...', 'cql ...') with --nats-url and "
          + "--cql-contact-points, or as MESSENGER_NATS_URL / MESSENGER_CQL_CONTACT_POINTS.", e);
    }
    Path file = out != null ? out : Path.of(".messenger", "loadgen", "baseline-" + id + ".json");
    ReportFiles.write(file, Json.write(report));
    terminal.println("baseline written to " + file);
    terminal.println(Json.write(report.get("derived")));
    return 0;
  }
}
