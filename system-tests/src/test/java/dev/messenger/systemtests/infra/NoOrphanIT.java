package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.InfrastructureMain;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.testing.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's children must not outlive it, whether it is stopped or killed. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NoOrphanIT {
  private static final Pattern DATA_DIRECTORY = Pattern.compile("\\(data in (\\S+)\\)");

  @TempDir Path temp;

  @Test
  void should_leave_no_process_behind_when_the_launcher_is_killed() throws IOException {
    try (ChildProcess launcher = startLauncher(Map.of("MESSENGER_DATA_DIR", temp.resolve("data").toString()))) {
      List<ProcessHandle> descendants = awaitReady(launcher);

      ProcessHandle.of(launcher.pid()).orElseThrow().destroyForcibly();

      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> descendants.stream().noneMatch(Processes::isRunning));
      assertThat(launcher.onExit().join()).isEqualTo(128 + 9);
    }
  }

  @Test
  void should_stop_everything_and_delete_temporary_data_on_sigterm() throws IOException {
    try (ChildProcess launcher = startLauncher(Map.of())) {
      List<ProcessHandle> descendants = awaitReady(launcher);
      Path dataDirectory = dataDirectory(launcher);
      assertThat(dataDirectory).isDirectory();

      ProcessHandle.of(launcher.pid()).orElseThrow().destroy();

      await().atMost(Duration.ofSeconds(60)).until(() -> !launcher.isAlive());
      assertThat(launcher.onExit().join()).isEqualTo(128 + 15);
      assertThat(descendants).noneMatch(Processes::isRunning);
      assertThat(dataDirectory).doesNotExist();
      assertThat(Files.readString(launcher.logFile())).contains("infrastructure stopped");
    }
  }

  private ChildProcess startLauncher(Map<String, String> environment) {
    return JavaProcess.builder(InfrastructureMain.class.getName())
        .classpath(System.getProperty("java.class.path"))
        .jvmOptions("-Xmx256m")
        .removeEnvironment(
            InfrastructureEndpoints.ETCD_ENDPOINTS_VARIABLE,
            InfrastructureEndpoints.NATS_URL_VARIABLE,
            InfrastructureEndpoints.CQL_CONTACT_POINTS_VARIABLE,
            InfrastructureEndpoints.CQL_DATACENTER_VARIABLE,
            "MESSENGER_DATA_DIR")
        .environment(environment)
        .logFile(temp.resolve("launcher.log"))
        .stopGrace(Duration.ofSeconds(30))
        .start();
  }

  /** Waits for the ready line and returns every process the launcher started, checking the three servers are there. */
  private static List<ProcessHandle> awaitReady(ChildProcess launcher) {
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
        .failFast("the launcher exited", () -> !launcher.isAlive())
        .until(() -> Files.readString(launcher.logFile()).contains(InfrastructureMain.READY_LINE));
    List<ProcessHandle> descendants = ProcessHandle.of(launcher.pid()).orElseThrow().descendants().toList();
    List<String> commands = descendants.stream()
        .map(process -> process.info().command().orElse("?"))
        .toList();
    assertThat(commands)
        .anySatisfy(command -> assertThat(command).endsWith("/etcd"))
        .anySatisfy(command -> assertThat(command).endsWith("/nats-server"))
        .anySatisfy(command -> assertThat(command).endsWith("/java"));
    return descendants;
  }

  private static Path dataDirectory(ChildProcess launcher) throws IOException {
    Matcher matcher = DATA_DIRECTORY.matcher(Files.readString(launcher.logFile()));
    assertThat(matcher.find()).as("data directory logged").isTrue();
    return Path.of(matcher.group(1));
  }
}
