package dev.messenger.loadgen;

import dev.messenger.loadgen.report.RunReport;
import dev.messenger.loadgen.run.RunResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen merge}: one report from the partial reports of load-generator processes started by hand
 * (e.g. on several machines with {@code run --shard=i/n --coordinated}); {@code run --processes} does
 * this by itself.
 */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Merge partial reports (report-part.json) of the processes of one run into one report.")
final class MergeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "PART", arity = "1..*", description = "report-part.json files of one run.")
  List<Path> parts = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the merged report goes.")
  Path out;

  @Option(names = "--baseline", paramLabel = "FILE", description = "A baseline.json to compare with.")
  Path baseline;

  @Override
  public Integer call() {
    List<RunResult> results = new ArrayList<>();
    for (Path part : parts) {
      results.add(RunReport.fromJson(ReportFiles.read(part)));
    }
    Map<String, Object> report = RunReport.toJson(RunReport.merge(results), false, ReportFiles.readOptional(baseline));
    spec.commandLine().getOut().print(ReportFiles.writeRun(out, "report", report));
    return Boolean.TRUE.equals(((Map<?, ?>) report.get("checks")).get("passed")) ? 0 : LoadgenMain.CHECKS_FAILED;
  }
}
