package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts a Java main class in a child JVM that dies with this JVM (see {@link ChildProcess}). */
public final class JavaProcess {
  private JavaProcess() {}

  /** Starts describing a child JVM that runs {@code mainClass}. */
  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  /** The java launcher of the running JVM. */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Describes a child JVM. */
  public static final class Builder {
    private final String mainClass;
    private String name;
    private String classpath;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();
    private final List<String> removedEnvironment = new ArrayList<>();
    private Path logFile;
    private Duration stopGrace = Duration.ofSeconds(10);
    private Duration timerSlack;

    private Builder(String mainClass) {
      this.mainClass = requireNonNull(mainClass, "mainClass");
      this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    /** Name used in logs and errors; the simple name of the main class by default. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** Required: the classpath, entries separated by ':' (e.g. from {@link ModuleClasspath#of}). */
    public Builder classpath(String classpath) {
      this.classpath = requireNonNull(classpath, "classpath");
      return this;
    }

    /** JVM options such as {@code -Xmx256m} or {@code -Dkey=value}, added to those given before. */
    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    /** JVM options such as {@code -Xmx256m} or {@code -Dkey=value}, added to those given before. */
    public Builder jvmOptions(String... options) {
      return jvmOptions(List.of(options));
    }

    /** Program arguments, added to those given before. */
    public Builder args(List<String> arguments) {
      args.addAll(arguments);
      return this;
    }

    /** Program arguments, added to those given before. */
    public Builder args(String... arguments) {
      return args(List.of(arguments));
    }

    /** Variables added to the environment inherited from this JVM. */
    public Builder environment(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    /** Variables removed from the inherited environment. */
    public Builder removeEnvironment(String... names) {
      removedEnvironment.addAll(List.of(names));
      return this;
    }

    /** Required: where stdout and stderr go. */
    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    /** How long SIGTERM may take before SIGKILL; 10 s by default. */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = requireNonNull(grace, "grace");
      return this;
    }

    /**
     * Lets the kernel defer the JVM's timed waits by up to {@code slack} (Linux timer slack, inherited by every
     * thread; 50 µs by default) so that it can serve them in fewer wake-ups. Wake-ups by another thread or by
     * I/O are not deferred. Where the kernel has no such setting the JVM starts without it.
     */
    public Builder timerSlack(Duration slack) {
      this.timerSlack = requireNonNull(slack, "slack");
      return this;
    }

    /** The full command line this builder would run. */
    public List<String> command() {
      requireNonNull(classpath, "classpath");
      List<String> command = new ArrayList<>();
      if (timerSlack != null) {
        // The shell sets its own slack and becomes the JVM (exec keeps the process and its slack).
        command.addAll(List.of("/bin/sh", "-c",
            "{ echo " + timerSlack.toNanos() + " > /proc/self/timerslack_ns; } 2>/dev/null; exec \"$@\"", "sh"));
      }
      command.add(javaExecutable().toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(classpath);
      command.add(mainClass);
      command.addAll(args);
      return command;
    }

    /** Starts the JVM. */
    public ChildProcess start() {
      return ChildProcess.builder(name)
          .command(command())
          .removeEnvironment(removedEnvironment.toArray(String[]::new))
          .environment(environment)
          .logFile(logFile)
          .stopGrace(stopGrace)
          .start();
    }
  }
}
