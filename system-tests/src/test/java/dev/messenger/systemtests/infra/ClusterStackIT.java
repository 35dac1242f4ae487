package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.ChildProcess;
import dev.messenger.loadgen.LoadgenMain;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.JsonPaths;
import dev.messenger.testing.Processes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The fault suite's short version on the three-node cluster ({@code ./messenger up --cluster}: three etcd
 * members, NATS servers and Cassandra nodes at RF 3, two session servers and two routers), under steady 1:1
 * load: one kill -9 of each kind of process, in three measured windows of faults one after the other (a
 * session server, history, presence and push; a router, after the other was stopped past its lease, then one
 * Cassandra node cut off from clients and peers for 12 s, then one NATS server, whose clients must move to
 * another; one NATS server, one etcd member, every NATS server at
 * once, one Cassandra node). Every acknowledged message arrives
 * once and in order, every send is answered, and History, read back after each window, holds every
 * acknowledged message once at its place.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ClusterStackIT {
  // Three windows, not one per fault: each costs a warm-up, a drain and a History read-back, and CI's time.
  private static final List<String> FAULTS = List.of("session:kill+history:kill+presence:kill+push:kill",
      "router:pause=8+router-2:kill+cassandra-2:cut=12+nats-1:cut=12",
      "nats-2:kill+etcd-1:kill+nats:kill+cassandra-3:kill");

  // Kept when the test fails: the services' logs and every fault's report are what explains a broken promise.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path temp;

  @Test
  void should_keep_every_promise_while_one_process_of_each_kind_is_killed() throws Exception {
    Path root = Path.of(System.getProperty("messenger.repo.root", "..")).toAbsolutePath().normalize();
    LocalStack.Started started = LocalStack.startWithOwnInfrastructure(root, temp, "--cluster");
    int base = started.base();
    try (ChildProcess stack = started.process()) {
      started.awaitReady(Duration.ofSeconds(420));
      String listed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + (base + 1900) + "/services")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String part : List.of("session-2", "router-2", "etcd-3", "nats-3", "cassandra-3")) {
        assertThat(listed).contains("\"service\":\"" + part + "\"");
      }
      assertThat(listed).contains("\"service\":\"nats\",\"infrastructure\":true,\"members\":[\"nats-1\",\"nats-2\","
          + "\"nats-3\"]");

      Path out = temp.resolve("chaos");
      StringWriter printed = new StringWriter();
      CommandLine loadgen = LoadgenMain.commandLine();
      loadgen.setOut(new PrintWriter(printed, true));
      loadgen.setErr(new PrintWriter(printed, true));
      int exit = loadgen.execute("chaos", "--faults", String.join(",", FAULTS), "--users", "100",
          "--total-rate", "30", "--warmup", "5s", "--duration", "40s", "--drain", "40s",
          "--control", "http://127.0.0.1:" + (base + 1900), "--target", "127.0.0.1:" + (base + 100),
          "--target", "127.0.0.1:" + (base + 101), "--history", "127.0.0.1:" + (base + 300),
          "--out", out.toString());
      String table = printed.toString().lines().filter(line -> !line.startsWith("measure")
          && !line.startsWith("warmup") && !line.startsWith("ramp") && !line.startsWith("drain"))
          .collect(Collectors.joining("\n"));
      assertThat(exit).as(table).isZero();
      Object faults = Json.parseObject(Files.readString(out.resolve("chaos.json"))).get("faults");
      assertThat(faults).as(table).asInstanceOf(InstanceOfAssertFactories.list(Map.class)).hasSize(FAULTS.size())
          .allSatisfy(fault -> assertThat(fault.get("promises_held")).isEqualTo(true))
          .allSatisfy(fault -> assertThat(((Number) ((Map<?, ?>) fault.get("history")).get("messages_read"))
              .longValue()).as("History read back").isGreaterThan(300));

      Map<String, Object> nats = Json.parseObject(
          Files.readString(out.resolve("03-nats-2-kill-etcd-1-kill-nats-kill-cassandra-3-kill.json")));
      List<?> answers = (List<?>) JsonPaths.object(nats, "server.metrics_over_window.chaos").get("control");
      assertThat(answers).as("the control port's answers, one per fault of the series").hasSize(4);
      assertThat((List<?>) ((Map<?, ?>) answers.get(2)).get("members")).as("every NATS server restarted at once")
          .hasSize(3);

      List<ProcessHandle> descendants = ProcessHandle.of(stack.pid()).orElseThrow().descendants().toList();
      ProcessHandle.of(stack.pid()).orElseThrow().destroy();
      await().atMost(Duration.ofSeconds(120)).until(() -> !stack.isAlive());
      await().atMost(Duration.ofSeconds(30)).until(() -> descendants.stream().noneMatch(Processes::isRunning));
    }
  }
}
