package dev.messenger.launcher;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the infrastructure for local development ({@code ./messenger up}) and keeps it running until SIGTERM or
 * Ctrl-C. Prints {@code export MESSENGER_...=...} lines, then {@value #READY_LINE}, on stdout.
 */
public final class InfrastructureMain {
  /** The line printed on stdout once every part answers. */
  public static final String READY_LINE = "infrastructure is ready";

  private static final Logger log = LoggerFactory.getLogger(InfrastructureMain.class);

  private InfrastructureMain() {}

  public static void main(String[] args) {
    Infrastructure infrastructure;
    try {
      infrastructure = Infrastructure.start(InfrastructureConfig.fromEnvironment(System.getenv()));
    } catch (InfrastructureException | IllegalArgumentException e) {
      log.error("infrastructure did not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(infrastructure::close, "infrastructure-shutdown"));

    PrintStream out = System.out;
    infrastructure.endpoints().toEnvironment()
        .forEach((name, value) -> out.println("export " + name + "=" + Quoting.shellWord(value)));
    out.println(READY_LINE);
    out.flush();

    String exited = infrastructure.unexpectedExit().join();
    log.error("{} exited unexpectedly; stopping the rest", exited);
    System.exit(1);
  }
}
