package dev.messenger.loadgen;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** loadgen's command line as main runs it, with what it prints to each stream kept for a test to read. */
final class LoadgenCli {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  int run(String... args) {
    CommandLine cli = LoadgenMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Forgets what was printed so far, so that a test reads only what the next command prints. */
  void forget() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}
