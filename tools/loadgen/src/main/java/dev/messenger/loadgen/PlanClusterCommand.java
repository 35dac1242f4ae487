package dev.messenger.loadgen;

import dev.messenger.loadgen.plan.ClusterModel;
import dev.messenger.loadgen.plan.ClusterPrediction;
import dev.messenger.loadgen.plan.ClusterShape;
import dev.messenger.loadgen.plan.RunCpu;
import dev.messenger.loadgen.plan.UnsaturatedRuns;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.JsonPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadgen plan-cluster}: the cluster's CPU and held rate predicted from one-node runs. */
@Command(name = "plan-cluster", mixinStandardHelpOptions = true,
    description = {"From one-node run reports with process CPU (run --cpu-pids), predict the CPU of the "
        + "cluster-mode stack (./messenger up --cluster) on the same machine and the rate it holds at a delivery "
        + "p99 bound, with the arithmetic; with --cluster, compare with measured cluster runs.",
        "Model: per process kind (a process name without its trailing -<digits>), a non-decreasing curve of "
            + "CPU over acked msg/s through the one-node runs; in the cluster each process of a kind sits on that "
            + "curve at its share of the rate (a store node at r x replication / nodes; a NATS server at r, as "
            + "each passes about as many messages as a lone one; an etcd member at r; a service instance at "
            + "r / instances); the one node's highest run within the bound sets the share of the machine the "
            + "cluster may use.",
        "Exit code 0 whenever the comparison completes (a report, not a gate): see within_tolerance in --out."})
final class PlanClusterCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--one-node", paramLabel = "FILE", split = ",", required = true,
      description = "One-node run reports (report.json) or sweeps (sweep.json: every step), at two rates or more.")
  List<Path> oneNode = new ArrayList<>();

  @Option(names = "--cluster", paramLabel = "FILE", split = ",",
      description = "Measured cluster run reports or sweeps to compare the prediction with.")
  List<Path> cluster = new ArrayList<>();

  @Option(names = "--rates", paramLabel = "MSG/S", split = ",",
      description = "Acked rates to predict the cluster's CPU at. Default: the cluster runs' rates, else the "
          + "one-node runs'.")
  List<Double> rates = new ArrayList<>();

  @Option(names = "--p99-ms", paramLabel = "MS", defaultValue = "50",
      description = "Delivery p99 bound of a held rate. Default: ${DEFAULT-VALUE}.")
  double p99Millis;

  @Option(names = "--cores", paramLabel = "N", description = "Cores of the machine the runs shared. "
      + "Default: this machine's, ${DEFAULT-VALUE}.")
  int cores = Runtime.getRuntime().availableProcessors();

  @Option(names = "--tolerance", defaultValue = "0.2",
      description = "Relative error of the held rate counted as a match. Default: ${DEFAULT-VALUE}.")
  double tolerance;

  @Option(names = "--store-nodes", paramLabel = "N", description = "CQL store nodes. Default: ${DEFAULT-VALUE}.")
  int storeNodes = ClusterShape.LOCAL_CLUSTER.storeNodes();

  @Option(names = "--replication", paramLabel = "N", description = "CQL replication factor. "
      + "Default: ${DEFAULT-VALUE}.")
  int replication = ClusterShape.LOCAL_CLUSTER.replication();

  @Option(names = "--store-syncs-each-write", description = "The cluster's store nodes sync their commit log "
      + "before they answer a write (commitlog_sync batch or group), as a lone node of ./messenger up does. "
      + "Default: a lone store node does, the nodes of a cluster sync every 10 s (periodic), as ./messenger up "
      + "--cluster runs them, and the one node's sync is left out of the cluster's CPU.")
  boolean storeSyncsEachWrite;

  @Option(names = "--nats-servers", paramLabel = "N", description = "NATS servers. Default: ${DEFAULT-VALUE}.")
  int natsServers = ClusterShape.LOCAL_CLUSTER.natsServers();

  @Option(names = "--etcd-members", paramLabel = "N", description = "etcd members. Default: ${DEFAULT-VALUE}.")
  int etcdMembers = ClusterShape.LOCAL_CLUSTER.etcdMembers();

  @Option(names = "--instances", paramLabel = "KIND=N", split = ",",
      description = "Instances of services on the cluster. Default: as ./messenger up --cluster starts them "
          + "(session=2, router=2, one of each other service).")
  Map<String, Integer> instances = new LinkedHashMap<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the prediction as JSON.")
  Path out;

  @Override
  public Integer call() {
    ClusterShape shape = new ClusterShape(storeNodes, natsServers, etcdMembers, replication,
        storeSyncsEachWrite || storeNodes == 1 ? ClusterShape.StoreSync.EACH_WRITE : ClusterShape.StoreSync.PERIODIC,
        ClusterShape.LOCAL_CLUSTER.serviceInstances()).withInstances(instances);
    List<RunCpu> oneNodeRuns = runs(oneNode);
    ClusterModel model = ClusterModel.fit(UnsaturatedRuns.of(oneNodeRuns, p99Millis), shape);
    ClusterPrediction prediction = new ClusterPrediction(model, oneNodeRuns,
        runs(cluster), rates, p99Millis, cores, tolerance);
    PrintWriter terminal = spec.commandLine().getOut();
    prediction.lines().forEach(terminal::println);
    if (out != null) {
      ReportFiles.write(out, Json.write(prediction.toMap()));
    }
    return 0;
  }

  /** The runs of run reports and of every step of sweeps. */
  static List<RunCpu> runs(List<Path> files) {
    List<RunCpu> runs = new ArrayList<>();
    for (Path file : files) {
      Map<String, Object> report = ReportFiles.read(file);
      if ("sweep".equals(report.get("kind"))) {
        List<Object> steps = JsonPaths.list(report, "steps");
        if (steps.isEmpty()) {
          throw new IllegalArgumentException(file + " is a sweep with no steps");
        }
        for (int i = 0; i < steps.size(); i++) {
          Object name = steps.get(i) instanceof Map<?, ?> step ? step.get("report") : null;
          if (name == null) {
            throw new IllegalArgumentException(file + ": step " + (i + 1) + " names no run report (it did not run"
                + " to its end); give the other steps' reports instead of the sweep");
          }
          runs.add(run(file.toAbsolutePath().getParent().resolve(name.toString())));
        }
      } else {
        runs.add(run(file, report));
      }
    }
    return runs;
  }

  private static RunCpu run(Path file) {
    return run(file, ReportFiles.read(file));
  }

  private static RunCpu run(Path file, Map<String, Object> report) {
    if (!"run".equals(report.get("kind"))) {
      throw new IllegalArgumentException(file + " is neither a run report nor a sweep");
    }
    return RunCpu.from(file.toString(), report);
  }
}
