package dev.messenger.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The iptables program of this machine: iptables-legacy where installed (the kernel's own ip_tables, which
 * needs no nf_tables support), else plain iptables.
 */
final class IptablesCommand implements Iptables {
  private static final List<String> PROGRAMS = List.of("iptables-legacy", "iptables");
  private static final long TIMEOUT_SECONDS = 30;

  private final Path program;

  private IptablesCommand(Path program) {
    this.program = program;
  }

  /**
   * The program, once it has answered a harmless listing.
   *
   * @throws IptablesException if it is not installed or cannot be run here (it needs root)
   */
  static IptablesCommand find() {
    Path program = PROGRAMS.stream().map(IptablesCommand::onPath).flatMap(Optional::stream).findFirst()
        .orElseThrow(() -> new IptablesException(
            "iptables is not installed (Debian: apt-get install iptables; ./messenger up installs it)"));
    IptablesCommand command = new IptablesCommand(program);
    try {
      command.run(List.of("-w", "-S", "INPUT"));
    } catch (IptablesException e) {
      throw new IptablesException(e.getMessage() + " (changing iptables rules needs root)");
    }
    return command;
  }

  Path program() {
    return program;
  }

  @Override
  public void run(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(arguments);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IptablesException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IptablesException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + output);
      }
    } catch (IOException e) {
      throw new IptablesException(String.join(" ", command) + " could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IptablesException(String.join(" ", command) + " was interrupted");
    }
  }

  /** PATH, then the sbin directories a non-root PATH often lacks. */
  private static Optional<Path> onPath(String name) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin"))
        .filter(directory -> !directory.isEmpty())
        .map(directory -> Path.of(directory, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
