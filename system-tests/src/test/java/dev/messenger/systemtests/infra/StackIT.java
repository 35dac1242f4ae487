package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.testing.Processes;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ./messenger up runs: every service comes up healthy, the web gateway serves the app, and SIGTERM
 * leaves no process behind.
 */
@WithRealInfrastructure
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StackIT {
  @TempDir Path temp;

  @Test
  void should_start_every_service_healthy_and_stop_them_all(InfrastructureEndpoints endpoints) throws Exception {
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    int base = 30_000 + ThreadLocalRandom.current().nextInt(200) * 100;
    try (ChildProcess stack = JavaProcess.builder("dev.messenger.stack.StackMain")
        .name("stack")
        .classpath(ModuleClasspath.of(root, "tools/stack"))
        .jvmOptions("-Xmx128m")
        .environment(endpoints.toEnvironment())
        .args(root.toString(), "--base-port=" + base, "--run-dir=" + temp.resolve("run"))
        .logFile(temp.resolve("stack.log"))
        .stopGrace(Duration.ofSeconds(60))
        .start()) {
      await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
          .failFast("the stack exited", () -> !stack.isAlive())
          .until(() -> Files.readString(stack.logFile()).contains("messenger is ready"));
      String printed = Files.readString(stack.logFile());
      for (String service : List.of("session", "router", "history", "presence", "push")) {
        assertThat(printed).containsPattern(service + " +grpc 127\\.0\\.0\\.1:\\d+");
      }
      assertThat(printed).contains("web http://127.0.0.1:" + (base + 1000) + "/");
      HttpResponse<String> page = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (base + 1000) + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).as("the web app").contains("<title>messenger</title>", "app.js");
      for (int offset : List.of(100, 200, 300, 400, 500)) {
        assertThat(health(base + offset)).as("service on port %d", base + offset).isEqualTo(ServingStatus.SERVING);
      }
      List<ProcessHandle> descendants = ProcessHandle.of(stack.pid()).orElseThrow().descendants().toList();
      assertThat(descendants.stream().filter(p -> p.info().command().orElse("").endsWith("/java")).count())
          .as("five service JVMs and the web gateway").isGreaterThanOrEqualTo(6);

      ProcessHandle.of(stack.pid()).orElseThrow().destroy();

      await().atMost(Duration.ofSeconds(90)).until(() -> !stack.isAlive());
      await().atMost(Duration.ofSeconds(30)).until(() -> descendants.stream().noneMatch(Processes::isRunning));
      assertThat(Files.readString(stack.logFile())).contains("messenger stopped");
    }
  }

  private static ServingStatus health(int port) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }
}
