package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that cannot outlive this JVM, not even when the JVM is killed with SIGKILL.
 *
 * <p>The command runs under a small POSIX sh watchdog whose stdin is a pipe from this JVM. When the pipe reaches
 * end-of-file, because this JVM exited in any way, the watchdog sends SIGTERM to the command and SIGKILL after the
 * stop grace. A SIGTERM to the watchdog is forwarded to the command, and the watchdog exits with the command's status.
 * The command's stdout and stderr are appended to a log file.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final String WATCHDOG_SCRIPT = readWatchdogScript();

  private final String name;
  private final Process watchdog;
  private final long pid;
  private final Optional<ProcessHandle> handle;
  private final Path logFile;
  private final Duration stopGrace;

  private ChildProcess(String name, Process watchdog, long pid, Path logFile, Duration stopGrace) {
    this.name = name;
    this.watchdog = watchdog;
    this.pid = pid;
    this.handle = ProcessHandle.of(pid);
    this.logFile = logFile;
    this.stopGrace = stopGrace;
  }

  /** Starts describing a process; {@code name} appears in logs and errors. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The name given to the builder. */
  public String name() {
    return name;
  }

  /** The pid of the command itself (not of its watchdog). */
  public long pid() {
    return pid;
  }

  /** The file the command's stdout and stderr are appended to. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the command is still running. */
  public boolean isAlive() {
    return watchdog.isAlive();
  }

  /** Completes with the command's exit status (128 + signal number when a signal ended it). */
  public CompletableFuture<Integer> onExit() {
    return watchdog.onExit().thenApply(Process::exitValue);
  }

  /** Asks the command to stop with SIGTERM, without waiting. */
  public void terminate() {
    watchdog.destroy();
  }

  /** Waits up to {@code timeout} for the command to exit; true if it did. */
  public boolean awaitExit(Duration timeout) {
    try {
      boolean exited = watchdog.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exited) {
        handle.ifPresent(ChildProcess::killIfStillAlive);
        closePipe();
      }
      return exited;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !watchdog.isAlive();
    }
  }

  /** Sends SIGTERM, waits up to {@code grace}, then kills; true if the command stopped within the grace. */
  public boolean stop(Duration grace) {
    if (!isAlive()) {
      closePipe();
      return true;
    }
    terminate();
    if (awaitExit(grace)) {
      return true;
    }
    log.warn("{} did not stop within {} ms of SIGTERM; killing it", name, grace.toMillis());
    kill();
    return false;
  }

  /** Kills the command with SIGKILL and waits for its watchdog to reap it and exit (killing the watchdog if not). */
  public void kill() {
    handle.ifPresent(ProcessHandle::destroyForcibly);
    try {
      if (!watchdog.waitFor(2, TimeUnit.SECONDS)) {
        watchdog.destroyForcibly();
        watchdog.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      watchdog.destroyForcibly();
    } finally {
      closePipe();
    }
  }

  /** The last {@code maxLines} lines of the log file, or a note saying why there are none. */
  public String logTail(int maxLines) {
    try {
      List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the command with the stop grace given to the builder. */
  @Override
  public void close() {
    stop(stopGrace);
  }

  @Override
  public String toString() {
    return name + "[pid " + pid + "]";
  }

  private static void killIfStillAlive(ProcessHandle process) {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private void closePipe() {
    try {
      watchdog.getOutputStream().close();
    } catch (IOException e) {
      log.debug("closing the watchdog pipe of {} failed", name, e);
    }
  }

  private static String readWatchdogScript() {
    try (InputStream in = ChildProcess.class.getResourceAsStream("watchdog.sh")) {
      if (in == null) {
        throw new IllegalStateException("watchdog.sh is missing from the launcher jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Describes a {@link ChildProcess}. */
  public static final class Builder {
    private final String name;
    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final Set<String> removedEnvironment = new HashSet<>();
    private Path workingDirectory;
    private Path logFile;
    private Duration stopGrace = Duration.ofSeconds(10);

    private Builder(String name) {
      this.name = requireNonNull(name, "name");
    }

    /** The program and its arguments. */
    public Builder command(List<String> command) {
      this.command.clear();
      this.command.addAll(command);
      return this;
    }

    /** The program and its arguments. */
    public Builder command(String... command) {
      return command(List.of(command));
    }

    /** Variables added to (or replacing those in) the environment inherited from this JVM. */
    public Builder environment(Map<String, String> variables) {
      environment.putAll(variables);
      removedEnvironment.removeAll(variables.keySet());
      return this;
    }

    /** Variables removed from the inherited environment. */
    public Builder removeEnvironment(String... names) {
      for (String variable : names) {
        environment.remove(variable);
        removedEnvironment.add(variable);
      }
      return this;
    }

    /** The working directory; this JVM's by default. */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    /** Required: where stdout and stderr go (appended; parent directories are created). */
    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    /**
     * How long a SIGTERM may take before SIGKILL, both for {@link ChildProcess#close()} and for the watchdog when
     * this JVM dies. Rounded up to whole seconds; 10 s by default.
     */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = requireNonNull(grace, "grace");
      return this;
    }

    /** Starts the command and returns once its pid is known. */
    public ChildProcess start() {
      if (command.isEmpty()) {
        throw new IllegalStateException(name + ": no command given");
      }
      requireNonNull(logFile, "logFile");
      long graceSeconds = Math.max(1, (stopGrace.toMillis() + 999) / 1000);
      List<String> wrapped = new ArrayList<>(List.of(
          "/bin/sh", "-c", WATCHDOG_SCRIPT, "watchdog", logFile.toString(), Long.toString(graceSeconds)));
      wrapped.addAll(command);

      ProcessBuilder builder = new ProcessBuilder(wrapped)
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .redirectOutput(ProcessBuilder.Redirect.PIPE)
          .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      builder.environment().keySet().removeAll(removedEnvironment);
      builder.environment().putAll(environment);

      Process watchdog;
      try {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        watchdog = builder.start();
      } catch (IOException e) {
        throw new InfrastructureException("could not start " + name + ": " + e.getMessage(), e);
      }
      long pid = readPid(watchdog);
      log.debug("started {} as pid {} (watchdog {}): {}", name, pid, watchdog.pid(), command);
      return new ChildProcess(name, watchdog, pid, logFile, stopGrace);
    }

    private long readPid(Process watchdog) {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(watchdog.getInputStream(), StandardCharsets.US_ASCII))) {
        String line = out.readLine();
        if (line == null) {
          throw new InfrastructureException("could not start " + name + ": its watchdog exited at once");
        }
        return Long.parseLong(line.strip());
      } catch (IOException | NumberFormatException e) {
        watchdog.destroyForcibly();
        throw new InfrastructureException("could not start " + name + ": " + e.getMessage(), e);
      }
    }
  }
}
