package dev.messenger.systemtests.infra;

import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** The whole stack as ./messenger up runs it (StackMain, one process per service), started by a test. */
final class LocalStack {
  private LocalStack() {}

  /** The stack's process and its base port (StackMain uses base + 100 ... base + 2500). */
  record Started(ChildProcess process, int base) {
    /** Waits until the stack prints "messenger is ready"; fails with its log's tail if it exits or takes longer. */
    void awaitReady(Duration within) {
      try {
        org.awaitility.Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(200))
            .failFast("the stack exited", () -> !process.isAlive())
            .until(() -> java.nio.file.Files.readString(process.logFile()).contains("messenger is ready"));
      } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
        throw new AssertionError("the stack did not become ready; its log ends with:\n" + process.logTail(40), e);
      }
    }
  }

  /** Starts StackMain on the given infrastructure with extra arguments; its log is {@code temp/stack.log}. */
  static Started start(Path root, Path temp, InfrastructureEndpoints endpoints, String... extraArgs)
      throws Exception {
    return start(root, temp, Duration.ofSeconds(60), stack -> stack.environment(endpoints.toEnvironment()),
        extraArgs);
  }

  /**
   * Starts StackMain with infrastructure of its own (nothing named in the environment), as {@code ./messenger up}
   * does on a fresh machine; {@code --cluster} makes it three nodes of each part.
   */
  static Started startWithOwnInfrastructure(Path root, Path temp, String... extraArgs) throws Exception {
    return start(root, temp, Duration.ofSeconds(90), stack -> stack.removeEnvironment("MESSENGER_ETCD_ENDPOINTS",
        "MESSENGER_NATS_URL", "MESSENGER_CQL_CONTACT_POINTS", "MESSENGER_CQL_DATACENTER",
        "MESSENGER_CQL_REPLICATION"), extraArgs);
  }

  private static Started start(Path root, Path temp, Duration stopGrace,
      java.util.function.Consumer<JavaProcess.Builder> environment, String... extraArgs) throws Exception {
    int base = randomBase();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
        root.toString(), "--base-port=" + base, "--run-dir=" + temp.resolve("run")));
    args.addAll(java.util.List.of(extraArgs));
    JavaProcess.Builder stack = JavaProcess.builder("dev.messenger.stack.StackMain")
        .name("stack")
        .classpath(ModuleClasspath.of(root, "tools/stack"))
        .jvmOptions("-Xmx128m");
    environment.accept(stack);
    ChildProcess process = stack.args(args)
        .logFile(temp.resolve("stack.log"))
        .stopGrace(stopGrace)
        .start();
    return new Started(process, base);
  }

  /**
   * A random base whose ports all lie below Linux's ephemeral range (32768 and up): a port in that range may
   * be the local end of any open connection on the machine, and binding it then fails (a CI run lost the
   * push service's port to one).
   */
  private static int randomBase() {
    return 10_000 + ThreadLocalRandom.current().nextInt(170) * 100;
  }
}
