package dev.messenger.loadgen;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import dev.messenger.loadgen.baseline.StoreRequestCost;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.run.ProcessTicks;
import dev.messenger.loadgen.run.RunSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen cql-cost}: the CQL store's CPU per request and per partition written, on this machine. */
@Command(name = "cql-cost", mixinStandardHelpOptions = true,
    description = {"Measure what the CQL store's CPU costs per request and per partition written: fixed rates of "
        + "plain inserts and unlogged batches of several partitions (--shapes), the store process's CPU over "
        + "each (--store-pid: every node's, from /proc), and the least-squares fit: store cores = idle + a x "
        + "requests/s + b x partitions/s. Writes cql-cost.json."})
final class CqlCostCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  InfraOptions infra = new InfraOptions();

  @Option(names = "--store-pid", required = true, split = ",", paramLabel = "PID",
      description = "The CQL store's process on this machine; a cluster's nodes running here as PID,PID,...: "
          + "their CPU is added up.")
  List<Long> storePids;

  @Option(names = "--shapes", split = ",", paramLabel = "RATExPARTITIONS",
      description = "Loads to measure: requests per second x partitions each. Default: ${DEFAULT-VALUE}.",
      defaultValue = "800x1,800x2,800x4,800x8,3200x1,1600x2,400x8")
  List<String> shapes;

  @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
      description = "Unmeasured time before each shape. Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class,
      description = "Measured time of each shape, and of the store idle first. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--row-bytes", defaultValue = "200", description = "Body bytes of each row. Default: "
      + "${DEFAULT-VALUE}.")
  int rowBytes;

  @Mixin
  CqlScratchOptions scratch = new CqlScratchOptions();

  @Option(names = "--out", paramLabel = "FILE", description = "Default: .messenger/loadgen/cql-cost-<id>.json.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter terminal = spec.commandLine().getOut();
    List<StoreRequestCost.Shape> loads = shapes.stream().map(StoreRequestCost.Shape::parse).toList();
    StoreRequestCost.Shape.requireTellingApart(loads);
    StoreRequestCost.requireDistinct(storePids);
    for (long pid : storePids) {
      if (ProcessTicks.of(pid) < 0) {
        throw new IllegalArgumentException("no process " + pid + " to read the CPU of (--store-pid)");
      }
    }
    String id = RunSettings.newRunId();
    Map<String, Object> report;
    try (CqlSession session = infra.resolve().connectCql();
        StoreRequestCost cost = new StoreRequestCost(session, storePids, id,
            scratch.replication, scratch.consistencyLevel(), rowBytes)) {
      report = cost.measure(loads, warmup, duration, terminal);
    } catch (DriverException e) {
      throw new IllegalStateException("the CQL store failed: " + e.getMessage() + "\nIs the stack up? Give the "
          + "store that ./messenger up printed ('cql ...') with --cql-contact-points, or as "
          + "MESSENGER_CQL_CONTACT_POINTS.", e);
    }
    Path file = out != null ? out : Path.of(".messenger", "loadgen", "cql-cost-" + id + ".json");
    ReportFiles.write(file, Json.write(report));
    terminal.println("CQL cost written to " + file);
    return 0;
  }
}
