package dev.messenger.stack;

import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./messenger up}: starts etcd, NATS and the CQL store (or uses the ones configured), then every
 * service as its own process, waits for each health check, prints where everything listens and
 * "messenger is ready". SIGTERM or Ctrl-C stops the services, then the infrastructure.
 */
public final class StackMain {
  private static final List<ServiceSpec> SERVICES = List.of(
      new ServiceSpec("history", "services/history", "dev.messenger.history.HistoryMain", 7300, 9300),
      new ServiceSpec("router", "services/router", "dev.messenger.router.RouterMain", 7200, 9200),
      new ServiceSpec("session", "services/session", "dev.messenger.session.SessionMain", 7100, 9100),
      new ServiceSpec("presence", "services/presence", "dev.messenger.presence.PresenceMain", 7400, 9400),
      new ServiceSpec("push", "services/push", "dev.messenger.push.PushMain", 7500, 9500));

  private StackMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path runDir = Files.createDirectories(root.resolve(".messenger").resolve("run"));
    Path logs = Files.createDirectories(runDir.resolve("logs"));
    Infrastructure infrastructure = Infrastructure.start(
        InfrastructureConfig.fromEnvironment(System.getenv()).withDataDirectory(fresh(runDir.resolve("data"))));
    List<ChildProcess> services = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping messenger...");
      for (int i = services.size() - 1; i >= 0; i--) {
        services.get(i).stop(Duration.ofSeconds(10));
      }
      infrastructure.close();
      System.out.println("messenger stopped");
      stopped.countDown();
    }, "stack-shutdown"));

    Map<String, String> env = new HashMap<>(infrastructure.endpoints().toEnvironment());
    System.out.println("etcd       " + String.join(",", infrastructure.endpoints().etcdEndpoints()));
    System.out.println("nats       " + infrastructure.endpoints().natsUrl());
    System.out.println("cql        " + infrastructure.endpoints().cqlContactPoints());
    for (ServiceSpec spec : SERVICES) {
      ChildProcess process = JavaProcess.builder(spec.mainClass())
          .name(spec.name())
          .classpath(ModuleClasspath.of(root, spec.module()))
          .jvmOptions("-Xms64m", "-Xmx512m", "-XX:+UseG1GC")
          .environment(env)
          .args("--grpc-port=" + spec.grpcPort(), "--metrics-port=" + spec.metricsPort())
          .logFile(logs.resolve(spec.name() + ".log"))
          .stopGrace(Duration.ofSeconds(10))
          .start();
      services.add(process);
    }
    for (int i = 0; i < SERVICES.size(); i++) {
      ServiceSpec spec = SERVICES.get(i);
      ChildProcess process = services.get(i);
      if (!HealthProbe.awaitServing("127.0.0.1", spec.grpcPort(), Duration.ofSeconds(90), process::isAlive)) {
        System.err.println(spec.name() + " did not become healthy; last lines of " + process.logFile() + ":");
        System.err.println(process.logTail(30));
        System.exit(1);
      }
      System.out.printf("%-10s grpc 127.0.0.1:%d  metrics http://127.0.0.1:%d/metrics  log %s%n",
          spec.name(), spec.grpcPort(), spec.metricsPort(), process.logFile());
    }
    System.out.println("messenger is ready");
    stopped.await();
  }

  private static Path fresh(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (var paths = Files.walk(directory)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(directory);
  }
}
