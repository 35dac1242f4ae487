package dev.messenger.loadgen.push;

import dev.messenger.common.infra.InfraSettings;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.ModuleClasspath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Push service instances of a load run: PushMain processes as production runs them, on one namespace. */
public final class PushFleet implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(120);
  private static final Pattern SAMPLE = Pattern.compile("^(messenger_push_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

  /** One instance and its ports. */
  public record Instance(String id, ChildProcess process, int grpcPort, int metricsPort) {}

  private final List<Instance> instances;
  private final HttpClient http = HttpClient.newHttpClient();

  private PushFleet(List<Instance> instances) {
    this.instances = instances;
  }

  /**
   * Starts {@code count} instances with {@code args} (namespace, keyspace, providers, timings) and waits until
   * each serves its metrics endpoint.
   */
  public static PushFleet start(int count, InfraSettings infra, List<String> args, Path logDirectory)
      throws IOException, InterruptedException, TimeoutException {
    Path root = ModuleClasspath.repositoryRoot();
    String classpath = ModuleClasspath.of(root, "services/push");
    Map<String, String> env = new HashMap<>();
    env.put("MESSENGER_NATS_URL", infra.natsUrl());
    env.put("MESSENGER_CQL_CONTACT_POINTS", String.join(",", infra.cqlContactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).toList()));
    env.put("MESSENGER_CQL_DATACENTER", infra.cqlDatacenter());
    env.putAll(infra.credentialVariables());
    Files.createDirectories(logDirectory);
    List<Instance> started = new ArrayList<>();
    PushFleet fleet = new PushFleet(started);
    try {
      for (int i = 1; i <= count; i++) {
        String id = "loadgen-push-" + i;
        int grpcPort = freePort();
        int metricsPort = freePort();
        List<String> all = new ArrayList<>(List.of("--instance-id=" + id, "--grpc-port=" + grpcPort,
            "--metrics-port=" + metricsPort));
        all.addAll(args);
        ChildProcess process = JavaProcess.builder("dev.messenger.push.PushMain")
            .name(id)
            .classpath(classpath)
            .jvmOptions("-Xmx512m")
            .environment(env)
            .args(all)
            .logFile(logDirectory.resolve(id + ".log"))
            .start();
        started.add(new Instance(id, process, grpcPort, metricsPort));
      }
      for (Instance instance : started) {
        fleet.awaitReady(instance);
      }
      return fleet;
    } catch (IOException | InterruptedException | TimeoutException | RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  private void awaitReady(Instance instance) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!instance.process().isAlive()) {
        throw new IllegalStateException(instance.id() + " exited: " + instance.process().logTail(30));
      }
      try {
        scrape(instance);
        return;
      } catch (UncheckedIOException notYet) {
        Thread.sleep(250);
      }
    }
    throw new TimeoutException(instance.id() + " not ready in " + READY_WITHIN + ": "
        + instance.process().logTail(30));
  }

  public List<Instance> instances() {
    return List.copyOf(instances);
  }

  /** The push metrics of one instance: sample name with labels -> value. */
  public Map<String, Double> scrape(Instance instance) throws InterruptedException {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + instance.metricsPort() + "/metrics")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("metrics answered " + response.statusCode());
      }
      Map<String, Double> samples = new HashMap<>();
      for (String line : response.body().split("\n")) {
        Matcher m = SAMPLE.matcher(line);
        if (m.matches()) {
          samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
      }
      return samples;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Instance instance : instances) {
      instance.process().stop(Duration.ofSeconds(10));
    }
  }
}
