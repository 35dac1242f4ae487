package dev.messenger.loadgen;

import dev.messenger.loadgen.plan.RunCpu;
import dev.messenger.loadgen.plan.StackLimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen limit-step}: the next rate to measure to close in on a stack's limit, bisecting between its
 * highest run held and the slowest run above that missed.
 */
@Command(name = "limit-step", mixinStandardHelpOptions = true,
    description = {"From run reports of one stack at several rates, print the whole rate halfway between the "
        + "highest-rate run that held delivery p99 within the bound (checks passed) and the slowest run offered "
        + "more, which missed it; print nothing when nothing held, nothing above missed, or the two are within "
        + "twice --smallest-gap.", "bench/plan-check.sh measures the one node at it until nothing is printed "
        + "(ONE_REFINE steps at most), so that plan-cluster's budget is close to the one node's limit."})
final class LimitStepCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--runs", paramLabel = "FILE", split = ",", required = true,
      description = "Run reports (report.json) or sweeps (sweep.json: every step).")
  List<Path> reports = new ArrayList<>();

  @Option(names = "--p99-ms", paramLabel = "MS", defaultValue = "50",
      description = "Delivery p99 bound of a held rate. Default: ${DEFAULT-VALUE}.")
  double p99Millis;

  @Option(names = "--smallest-gap", paramLabel = "MSG/S", defaultValue = "10",
      description = "Stop when the held and the missed run are at most twice this apart. Default: ${DEFAULT-VALUE}.")
  double smallestGap;

  @Override
  public Integer call() {
    if (!(smallestGap > 0) || !(p99Millis > 0)) {
      throw new IllegalArgumentException("--smallest-gap and --p99-ms must be positive, not " + smallestGap + " and "
          + p99Millis);
    }
    List<RunCpu> runs = PlanClusterCommand.runs(reports);
    OptionalLong next = StackLimit.of(runs, p99Millis).nextRate(smallestGap);
    next.ifPresent(rate -> spec.commandLine().getOut().println(rate));
    return 0;
  }
}
