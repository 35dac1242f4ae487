package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.cores;
import static dev.messenger.loadgen.plan.PlanNumbers.n;
import static dev.messenger.loadgen.plan.PlanNumbers.percent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A clustered deployment's CPU and the rate it holds at a delivery p99 bound, predicted from one-node runs on
 * the same machine, with the arithmetic shown, and checked against measured cluster runs when given.
 *
 * <ol>
 *   <li>Per process kind, a curve of CPU-seconds per second over the acknowledged rate r through the one-node
 *       runs up to the highest rate held ({@link UnsaturatedRuns}, {@link CpuCurve#fit}).
 *   <li>Each kind's processes in the cluster ({@link ClusterShape#scaling}), each on that curve at its share of
 *       the work: a store node at r x the replication factor / the nodes, its commit-log sync left out where the
 *       cluster's nodes sync periodically ({@link StoreCommitLogSync}); a NATS server at r (each passes about as
 *       many messages as a lone server: route hops, JetStream's replicas); an etcd member at r; a service's
 *       instance at r / the instances (they share the messages).
 *   <li>The cluster's CPU at a rate: the sum over its processes.
 *   <li>The held rate: the highest-rate one-node run within the bound (checks passed) used a share of the
 *       machine; the cluster is predicted to hold the bound up to the rate where its CPU reaches that share.
 *       Beside it, the rates with the cluster's CPU a tenth, and the one-node runs' own scatter about their
 *       curves ({@link OneNodeScatter}), above or below the model, and with the CPU of the one node's next run,
 *       which missed, as the budget ({@link BudgetBracket}).
 *   <li>Against measured cluster runs: CPU predicted / measured - 1 per run and kind, and the held rates.
 * </ol>
 */
public final class ClusterPrediction {
  private final ClusterModel model;
  private final SpeedRatio speed;
  private final HeldRatePrediction heldAtOneNodeSpeed;
  private final List<RunCpu> oneNodeRuns;
  private final List<RunCpu> clusterRuns;
  private final double p99BoundMillis;
  private final int cores;
  private final double tolerance;
  private final HeldRatePrediction held;
  private final OneNodeScatter scatter;
  private final HeldRatePrediction.Sensitivity atScatter;
  private final BudgetBracket budgetBracket;
  private final Optional<HeldRateCheck> check;
  private final List<String> lines = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<Object> predictions = new ArrayList<>();
  private final List<Object> comparisons = new ArrayList<>();

  /**
   * @param rates rates to predict the cluster's CPU at; empty for the cluster runs' acknowledged rates, or the
   *     one-node runs' when no cluster run is given
   */
  public ClusterPrediction(ClusterModel model, List<RunCpu> oneNodeRuns, List<RunCpu> clusterRuns, List<Double> rates,
      double p99BoundMillis, int cores, double tolerance) {
    if (cores < 1 || p99BoundMillis <= 0 || tolerance <= 0) {
      throw new IllegalArgumentException("cores (" + cores + "), the p99 bound (" + p99BoundMillis
          + " ms) and the tolerance (" + tolerance + ") must be positive");
    }
    this.speed = SpeedRatio.of(oneNodeRuns, clusterRuns);
    this.model = model.atSpeed(speed.factor());
    this.heldAtOneNodeSpeed = HeldRatePrediction.of(model, oneNodeRuns, p99BoundMillis, cores);
    this.oneNodeRuns = List.copyOf(oneNodeRuns);
    this.clusterRuns = List.copyOf(clusterRuns);
    this.p99BoundMillis = p99BoundMillis;
    this.cores = cores;
    this.tolerance = tolerance;
    this.held = HeldRatePrediction.of(this.model, oneNodeRuns, p99BoundMillis, cores);
    this.scatter = OneNodeScatter.of(this.model);
    this.atScatter = held.basis().isPresent() && scatter.rootMeanSquare().isPresent()
        ? HeldRatePrediction.Sensitivity.of(this.model, held.budgetCores(), scatter.rootMeanSquare().getAsDouble())
        : HeldRatePrediction.Sensitivity.NONE;
    this.budgetBracket = BudgetBracket.of(this.model, StackLimit.of(oneNodeRuns, p99BoundMillis), held);
    this.check = clusterRuns.isEmpty() ? Optional.empty()
        : Optional.of(HeldRateCheck.of(held, clusterRuns, p99BoundMillis, tolerance));
    sayFits();
    sayScaling();
    sayPredictions(rates.isEmpty() ? defaultRates() : rates);
    sayHeldRate();
    sayComparisons();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public HeldRatePrediction heldRate() {
    return held;
  }

  /** The held-rate check against the cluster runs, when any were given. */
  public Optional<HeldRateCheck> check() {
    return check;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", "plan_cluster");
    map.put("p99_bound_ms", p99BoundMillis);
    map.put("cores", cores);
    map.put("tolerance", tolerance);
    map.put("shape", model.shape().toMap());
    map.put("machine_speed", speed.toMap());
    map.put("one_node_runs", oneNodeRuns.stream().map(this::runMap).collect(Collectors.toList()));
    map.put("kinds", kinds());
    map.put("cluster_cores_without_messages", model.clusterTotalAt(0));
    map.put("predictions", predictions);
    map.put("held_rate", heldMap());
    map.put("cluster_runs", comparisons);
    map.put("held_rate_check", check.map(this::checkMap).orElse(null));
    map.put("within_tolerance", check.map(HeldRateCheck::withinTolerance).orElse(null));
    map.put("warnings", List.copyOf(warnings));
    map.put("arithmetic", lines());
    return map;
  }

  private void sayFits() {
    say("one-node runs: %s at %s acked msg/s; cluster: %s", oneNodeRuns.size(), rateList(oneNodeRuns),
        model.shape().describe());
    say("");
    List<RunCpu> fitted = model.fittedRuns();
    say("1. one node, a curve per process kind: CPU-s per second at each acked msg/s, through the %d runs%s; "
        + "runs within %s%% of a rate are one point, and a fall from one point to the next is pooled (more messages "
        + "cannot take less CPU)", fitted.size(), fitted.size() == oneNodeRuns.size() ? ""
        : " up to the highest rate held, " + rateList(fitted) + " msg/s: past it the one node is short of CPU",
        n(CpuCurve.SAME_RATE * 100));
    model.oneNodeCurves().forEach((kind, curve) -> say("  %-10s %s", kind, curve.describe()));
    model.notes().forEach(note -> warn("%s", note));
    oneNodeRuns.stream().filter(run -> !run.unreadable().isEmpty())
        .forEach(run -> warn("%s: CPU of %s unreadable, left out", run.source(), run.unreadable()));
    oneNodeRuns.forEach(this::warnIfStartInWindow);
  }

  /** A window that took in part of its run's start charges the start's refusals and queues to the rate. */
  private void warnIfStartInWindow(RunCpu run) {
    if (run.start().spillsIntoWindow(p99BoundMillis)) {
      warn("%s %s: its p99 counts part of its start (refused sends, queued deliveries), not the rate alone; give it a longer "
          + "--warmup", run.source(), run.start().describe(p99BoundMillis));
    }
  }

  /** The run's figures with when it settled from its start. */
  private Map<String, Object> runMap(RunCpu run) {
    Map<String, Object> map = run.toMap();
    map.put("settled_at_s", run.start().settledAt(p99BoundMillis).stream().boxed().findFirst().orElse(null));
    map.put("window_start_s", run.start().windowStart() < 0 ? null : run.start().windowStart() + 1);
    map.put("start_in_window", run.start().spillsIntoWindow(p99BoundMillis));
    return map;
  }

  private void sayScaling() {
    say("");
    say("2. scaled to the cluster: each process of a kind on the one node's curve at its share of the rate r");
    model.oneNodeCurves().keySet().forEach(kind -> {
      ClusterShape.Scaling s = model.shape().scaling(kind);
      if (s.processes() == 0) {
        say("  %-10s none: %s", kind, s.processesReason());
      } else {
        say("  %-10s %d x %s(%s): %s", kind, s.processes(), kind, share(s), s.processesReason().equals(s.workReason())
            ? s.processesReason() : s.processesReason() + "; " + s.workReason());
      }
      if (!s.known()) {
        warn("%s is no process kind of the cluster shape: counted once, as on one node", kind);
      }
    });
    say("  %-10s %s", "speed", speed.reason());
    say("  %-10s %s cores with no messages", "cluster", n(model.clusterTotalAt(0)));
  }

  private void sayPredictions(List<Double> rates) {
    say("");
    say("3. predicted cluster CPU");
    for (double rate : rates) {
      Map<String, Double> byKind = model.clusterCoresAt(rate);
      double total = model.clusterTotalAt(rate);
      say("  at %s msg/s: %s cores (%s CPU-s a minute) = %s", n(rate), n(total), n(total * 60), byKind.entrySet()
          .stream().map(e -> e.getKey() + " " + n(e.getValue())).collect(Collectors.joining(" + ")));
      Map<String, Object> prediction = new LinkedHashMap<>();
      prediction.put("rate", rate);
      prediction.put("total_cores", total);
      prediction.put("cores_by_kind", byKind);
      predictions.add(prediction);
    }
  }

  private void sayHeldRate() {
    say("");
    say("4. rate held at delivery p99 <= %s ms", n(p99BoundMillis));
    if (held.outcome() == HeldRatePrediction.Outcome.NO_PREDICTION) {
      say("  no one-node run held it with its checks passed (best p99 %s ms): no prediction can be made",
          n(oneNodeRuns.stream().mapToDouble(RunCpu::deliveryP99Millis).min().orElse(Double.NaN)));
      return;
    }
    RunCpu basis = held.basis().orElseThrow();
    say("  one node held it up to %s acked msg/s (%s: p99 %s ms) on %s cores", n(basis.ackedPerSecond()),
        basis.source(), n(basis.deliveryP99Millis()), cores(basis.totalCores()));
    budgetBracket.describeBusiest().ifPresent(line -> say("  %s", line));
    budgetBracket.describe(held).ifPresent(line -> say("  %s", line));
    say("  budget: %s cores = %s%% of %d cores%s", cores(held.budgetCores()), n(held.share() * 100), cores,
        budgetBracket.describeBudget());
    if (held.lowerBound()) {
      say("  every one-node run held it: the one node may hold more, so this share is a lower bound, and so is the "
          + "rate below");
    }
    double withoutMessages = model.clusterTotalAt(0);
    if (held.outcome() == HeldRatePrediction.Outcome.NO_RATE) {
      say("  => no rate: the cluster's CPU with no messages (%s cores) exceeds %s cores", cores(withoutMessages),
          cores(held.budgetCores()));
    } else {
      say("  cluster: its CPU, %s cores with no messages, reaches %s cores at r = %s", cores(withoutMessages),
          cores(held.budgetCores()), held.describeRate());
    }
    if (speed.factor() != 1) {
      say("  (at the one-node runs' machine speed, x 1 instead of %s: %s)", speed.describeFactor(),
          heldAtOneNodeSpeed.outcome() == HeldRatePrediction.Outcome.RATE ? "r = " + heldAtOneNodeSpeed.describeRate()
          : "no rate");
    }
    if (held.outcome() != HeldRatePrediction.Outcome.NO_PREDICTION) {
      HeldRatePrediction.Sensitivity s = held.sensitivity();
      String error = n(HeldRatePrediction.CPU_ERROR * 100);
      say("  sensitivity: with the cluster's CPU %s%% above the model %s, %s%% below it %s (%s cores with no messages "
          + "against a budget of %s)%s", error, rateOrNone(s.ifCpuHigher()), error, rateOrNone(s.ifCpuLower()),
          cores(withoutMessages), cores(held.budgetCores()), held.lowerBound() ? "; lower bounds, as the rate" : "");
      say("  the one-node runs about their curves: %s%s", scatter.describe(), scatter.rootMeanSquare().isEmpty() ? ""
          : "; with the cluster's CPU that far above the model " + rateOrNone(atScatter.ifCpuHigher())
          + ", below it " + rateOrNone(atScatter.ifCpuLower()));
    }
    budgetBracket.beyondTolerance(held, tolerance).ifPresent(note -> say("  note: %s", note));
  }

  private void sayComparisons() {
    if (clusterRuns.isEmpty()) {
      return;
    }
    say("");
    say("5. against the measured cluster");
    for (RunCpu run : clusterRuns) {
      comparisons.add(compareRun(run));
    }
    HeldRateCheck result = check.orElseThrow();
    String measured = result.measured().map(run -> n(run.ackedPerSecond()) + " msg/s (" + run.source() + ")")
        .orElse("none (best p99 " + n(clusterRuns.stream().mapToDouble(RunCpu::deliveryP99Millis).min()
            .orElse(Double.NaN)) + " ms)");
    String predicted = switch (held.outcome()) {
      case RATE -> held.describeRate();
      case NO_RATE -> "no rate";
      case NO_PREDICTION -> "nothing";
    };
    String missed = result.missedAbove().map(run -> "; missed at " + n(run.offeredOrAcked()) + " msg/s offered ("
        + run.source() + ")").orElse("");
    say("  held at p99 <= %s ms: measured %s%s; predicted %s", n(p99BoundMillis), measured, missed, predicted);
    result.caveats().forEach(caveat -> say("  note: %s", caveat));
    say("  => %s", result.verdict());
    scatterBeyondTolerance().ifPresent(note -> say("  note: %s", note));
    say("  within %s: %s", "±" + n(tolerance * 100) + "%", result.withinTolerance() == null ? "not decided"
        : result.withinTolerance() ? "yes" : "no");
  }

  /**
   * When the one-node runs' own scatter moves the prediction further than the tolerance: then one check says as
   * much about that noise as about the model.
   */
  private Optional<String> scatterBeyondTolerance() {
    if (held.outcome() != HeldRatePrediction.Outcome.RATE || !Double.isFinite(held.rate())
        || scatter.rootMeanSquare().isEmpty()) {
      return Optional.empty();
    }
    double low = atScatter.ifCpuHigher() / held.rate() - 1;
    double high = atScatter.ifCpuLower() / held.rate() - 1;
    if (!(low < -tolerance || high > tolerance || Double.isNaN(atScatter.ifCpuHigher()))) {
      return Optional.empty();
    }
    return Optional.of("the one-node runs' scatter about their curves alone moves the prediction from "
        + rateOrNone(atScatter.ifCpuHigher()) + " to " + rateOrNone(atScatter.ifCpuLower()) + (Double.isFinite(low)
        && Double.isFinite(high) ? " (" + percent(low) + " to " + percent(high) + ")" : "") + ", further than ±"
        + n(tolerance * 100) + "%: one check cannot tell the model's error from that noise");
  }

  private Map<String, Object> compareRun(RunCpu run) {
    Map<String, Object> map = runMap(run);
    say("  %s at %s acked msg/s (p99 %s ms, checks %s):", run.source(), n(run.ackedPerSecond()),
        n(run.deliveryP99Millis()), run.checksPassed() ? "passed" : "FAILED");
    warnIfStartInWindow(run);
    if (!run.unreadable().isEmpty()) {
      warn("%s: CPU of %s unreadable, left out", run.source(), run.unreadable());
    }
    Optional<CpuComparison> comparison = CpuComparison.of(model, run);
    if (comparison.isEmpty()) {
      say("    no process CPU in this report (run --cpu-pids): only its latency is compared");
      return map;
    }
    CpuComparison c = comparison.get();
    c.measuredOnly().forEach(kind -> warn("%s: %s was measured on the cluster but not on one node; left out of the "
        + "totals", run.source(), kind));
    c.predictedOnly().forEach(kind -> warn("%s: no %s process measured on the cluster; left out of the totals",
        run.source(), kind));
    Map<String, Object> byKind = new LinkedHashMap<>();
    c.sortedByKind().forEach((kind, figures) -> {
      say("    %-10s measured %s, predicted %s cores (%s)", kind, n(figures.measuredCores()),
          n(figures.predictedCores()), error(figures));
      byKind.put(kind, figures.toMap());
    });
    say("    %-10s measured %s, predicted %s cores (%s; %s and %s CPU-s a minute)", "total",
        cores(c.total().measuredCores()), cores(c.total().predictedCores()), error(c.total()),
        n(c.total().measuredCores() * 60), n(c.total().predictedCores() * 60));
    map.put("by_kind", byKind);
    map.put("compared", c.total().toMap());
    return map;
  }

  private Map<String, Object> kinds() {
    Map<String, Object> kinds = new LinkedHashMap<>();
    model.oneNodeCurves().forEach((kind, curve) -> {
      ClusterShape.Scaling s = model.shape().scaling(kind);
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("one_node_points", curve.points().stream().map(ClusterPrediction::point).collect(Collectors.toList()));
      map.put("one_node_cpu_ms_per_message_beyond_points", curve.slopeBeyond() * 1000);
      map.put("processes", s.processes());
      map.put("processes_reason", s.processesReason());
      map.put("work_factor", s.workFactor());
      map.put("work_reason", s.workReason());
      map.put("known_kind", s.known());
      map.put("cluster_cores_without_messages", model.speedFactor() * s.coresAt(curve, 0));
      kinds.put(kind, map);
    });
    return kinds;
  }

  /** A process's rate in the cluster's r: "r", "r / 2", "r x 3 / 5". */
  private static String share(ClusterShape.Scaling s) {
    if (s.workFactor() == s.processes()) {
      return "r";
    }
    return (s.workFactor() == 1 ? "r" : "r x " + n(s.workFactor())) + " / " + s.processes();
  }

  private static Map<String, Object> point(CpuCurve.Point point) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("acked_per_s", point.rate());
    map.put("cores", point.cores());
    map.put("runs", point.runs());
    return map;
  }

  private static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }

  private static String rateOrNone(double rate) {
    return Double.isNaN(rate) ? "no rate" : Double.isInfinite(rate) ? "any rate" : n(rate) + " msg/s";
  }

  private Map<String, Object> heldMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("outcome", held.outcome().name().toLowerCase(Locale.ROOT));
    map.put("predicted_rate", held.outcome() == HeldRatePrediction.Outcome.RATE ? held.rate() : null);
    map.put("predicted_rate_at_one_node_speed", heldAtOneNodeSpeed.outcome() == HeldRatePrediction.Outcome.RATE
        ? heldAtOneNodeSpeed.rate() : null);
    map.put("lower_bound", held.lowerBound());
    map.put("one_node_run", held.basis().map(RunCpu::source).orElse(null));
    map.put("budget_cores", held.basis().isPresent() ? held.budgetCores() : null);
    map.put("share_of_machine", held.basis().isPresent() ? held.share() : null);
    map.put("cpu_error_for_sensitivity", HeldRatePrediction.CPU_ERROR);
    map.put("rate_if_cpu_higher", finiteOrNull(held.sensitivity().ifCpuHigher()));
    map.put("rate_if_cpu_lower", finiteOrNull(held.sensitivity().ifCpuLower()));
    map.put("one_node_scatter", scatter.rootMeanSquare().isPresent() ? scatter.rootMeanSquare().getAsDouble() : null);
    map.put("one_node_runs_left_out", scatter.runsLeftOut());
    map.put("rate_if_cpu_higher_by_scatter", finiteOrNull(atScatter.ifCpuHigher()));
    map.put("rate_if_cpu_lower_by_scatter", finiteOrNull(atScatter.ifCpuLower()));
    map.putAll(budgetBracket.toMap());
    return map;
  }

  private Map<String, Object> checkMap(HeldRateCheck result) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("measured_rate", result.measured().map(RunCpu::ackedPerSecond).orElse(null));
    map.put("measured_run", result.measured().map(RunCpu::source).orElse(null));
    map.put("missed_above_rate", result.missedAbove().map(RunCpu::offeredOrAcked).orElse(null));
    map.put("missed_above_run", result.missedAbove().map(RunCpu::source).orElse(null));
    map.put("error", result.error().orElse(null));
    map.put("within_tolerance", result.withinTolerance());
    map.put("verdict", result.verdict());
    map.put("caveats", result.caveats());
    return map;
  }

  private List<Double> defaultRates() {
    List<RunCpu> runs = clusterRuns.isEmpty() ? oneNodeRuns : clusterRuns;
    return runs.stream().map(RunCpu::ackedPerSecond).distinct().sorted().collect(Collectors.toList());
  }

  private static String error(CpuComparison.Figures figures) {
    return Double.isNaN(figures.error()) ? "nothing measured" : percent(figures.error());
  }

  private static String rateList(List<RunCpu> runs) {
    return runs.stream().map(run -> n(run.ackedPerSecond())).collect(Collectors.joining(", "));
  }

  private void warn(String format, Object... args) {
    String warning = String.format(Locale.ROOT, format, args);
    warnings.add(warning);
    say("  WARNING: %s", warning);
  }

  private void say(String format, Object... args) {
    lines.add(String.format(Locale.ROOT, format, args));
  }
}
