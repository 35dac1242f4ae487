package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChildProcessIT {
  @TempDir Path temp;

  @Test
  void should_report_the_pid_of_the_command_itself() {
    try (ChildProcess sleep = start("sleep", "sleep", "60")) {
      awaitExec(sleep, "/sleep");
      assertThat(sleep.isAlive()).isTrue();
    }
  }

  @Test
  void should_forward_sigterm_and_exit_with_the_command_status() {
    ChildProcess sleep = start("sleep", "sleep", "60");

    assertThat(sleep.stop(Duration.ofSeconds(5))).isTrue();

    assertThat(sleep.onExit().join()).isEqualTo(143);
    assertThat(ProcessHandle.of(sleep.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  @Test
  void should_kill_a_command_that_ignores_sigterm() {
    ChildProcess stubborn = start("stubborn", "sh", "-c", "trap '' TERM; exec sleep 60");
    awaitExec(stubborn, "/sleep");

    assertThat(stubborn.stop(Duration.ofSeconds(1))).isFalse();

    assertThat(stubborn.isAlive()).isFalse();
    assertThat(ProcessHandle.of(stubborn.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }

  @Test
  void should_append_output_and_errors_to_the_log_file_and_pass_the_environment() {
    ChildProcess echo = ChildProcess.builder("echo")
        .command("sh", "-c", "echo \"out $GREETING\"; echo err >&2; exit 3")
        .environment(Map.of("GREETING", "hello"))
        .logFile(temp.resolve("logs/echo.log"))
        .start();

    assertThat(echo.onExit().join()).isEqualTo(3);
    assertThat(echo.logTail(10)).contains("out hello", "err");
  }

  @Test
  void should_remove_variables_from_the_inherited_environment() {
    ChildProcess printer = ChildProcess.builder("printer")
        .command("sh", "-c", "echo \"home=${HOME:-unset}\"")
        .removeEnvironment("HOME")
        .logFile(temp.resolve("printer.log"))
        .start();

    await().atMost(Duration.ofSeconds(10)).until(() -> !printer.isAlive());
    assertThat(printer.logTail(1)).isEqualTo("home=unset");
  }

  @Test
  void should_report_a_missing_program_in_the_log() {
    ChildProcess missing = start("missing", "/nonexistent/program");

    assertThat(missing.onExit().join()).isEqualTo(127);
    assertThat(missing.logTail(5)).contains("/nonexistent/program");
  }

  @Test
  void should_fail_readiness_with_the_log_tail_when_the_command_dies() {
    ChildProcess failing = start("failing", "sh", "-c", "echo 'bind: address already in use'; exit 1");

    assertThatThrownBy(() -> Readiness.await(failing, Duration.ofSeconds(10), () -> false))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("failing exited with status 1 before it was ready")
        .hasMessageContaining("bind: address already in use");
  }

  @Test
  void should_fail_readiness_and_kill_the_command_after_the_timeout() {
    ChildProcess slow = start("slow", "sleep", "60");

    assertThatThrownBy(() -> Readiness.await(slow, Duration.ofMillis(300), () -> false))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("slow was not ready within");
    assertThat(slow.isAlive()).isFalse();
  }

  @Test
  void should_run_a_java_main_class_in_a_child_jvm() {
    ChildProcess java = JavaProcess.builder(PrintProperty.class.getName())
        .classpath(System.getProperty("java.class.path"))
        .jvmOptions("-Dgreeting=hi")
        .args("greeting")
        .logFile(temp.resolve("java.log"))
        .start();

    assertThat(java.onExit().join()).isZero();
    assertThat(java.logTail(1)).isEqualTo("greeting=hi");
  }

  @Test
  void should_give_every_thread_of_a_child_jvm_the_timer_slack_asked_for() {
    ChildProcess java = JavaProcess.builder(PrintTimerSlack.class.getName())
        .classpath(System.getProperty("java.class.path"))
        .timerSlack(Duration.ofMillis(1))
        .logFile(temp.resolve("slack.log"))
        .start();

    assertThat(java.onExit().join()).isZero();
    assertThat(java.logTail(1)).as("read by a thread the JVM started after launch").isEqualTo("1000000");
  }

  private static void awaitExec(ChildProcess process, String command) {
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(process.pid())
        .flatMap(handle -> handle.info().command())
        .filter(path -> path.endsWith(command))
        .isPresent());
  }

  private ChildProcess start(String name, String... command) {
    return ChildProcess.builder(name)
        .command(command)
        .logFile(temp.resolve(name + ".log"))
        .stopGrace(Duration.ofSeconds(2))
        .start();
  }

  /** Prints the timer slack of a new thread of its JVM, from the kernel's view of that thread. */
  static final class PrintTimerSlack {
    public static void main(String[] args) throws Exception {
      Thread reader = new Thread(() -> {
        try {
          long tid = Long.parseLong(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self"))
              .getFileName().toString());
          System.out.println(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + tid + "/timerslack_ns"))
              .strip());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      reader.start();
      reader.join();
    }
  }

  /** Prints one system property; run by the child JVM test. */
  static final class PrintProperty {
    public static void main(String[] args) {
      System.out.println(args[0] + "=" + System.getProperty(args[0]));
    }
  }
}
