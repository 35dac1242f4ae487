package dev.messenger.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./messenger loadgen <subcommand>}: the load generator and capacity report. */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = "messenger-loadgen 0.1",
    subcommands = {RunCommand.class, SweepCommand.class, BaselineCommand.class, PlanCommand.class,
        PlanClusterCommand.class, LimitStepCommand.class, ClusterStepsCommand.class, ClusterStartsCommand.class,
        MergeCommand.class, ProfileCommand.class, dev.messenger.loadgen.presence.PresenceChurnCommand.class,
        PushScenarioCommand.class, ChaosCommand.class, CqlCostCommand.class,
        CommandLine.HelpCommand.class},
    description = {"Load generator and capacity report for the messenger. With no --target it drives the local "
        + "stack started by ./messenger up (127.0.0.1:7100, development key).",
        "Exit codes: 0 ok, 2 bad usage or the run could not start, 3 the run's correctness checks failed."})
public final class LoadgenMain implements Runnable {
  /** Exit code of a run whose counts show lost, duplicated or out-of-order messages. */
  static final int CHECKS_FAILED = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      // Our own quiet configuration; the services' logback.xml is on the classpath too.
      System.setProperty("logback.configurationFile", "loadgen-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for main and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new LoadgenMain())
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          if (error instanceof IllegalArgumentException || error instanceof IllegalStateException) {
            commandLine.getErr().println("loadgen: " + error.getMessage());
            return 2;
          }
          throw error;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
