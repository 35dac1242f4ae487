package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
/** Needs root and cgroup2, as the stack's cuts do: real processes are moved between groups. */
class NodeCutIT {
  private final List<String> commands = new ArrayList<>();

  @Test
  void should_add_both_rules_while_the_process_sits_in_a_cgroup_of_its_own_and_remove_them_after()
      throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      long pid = sleeper.pid();
      List<String> groupsWhileCut = new ArrayList<>();
      NodeCut cut = NodeCut.open(arguments -> {
        commands.add(String.join(" ", arguments));
        if (arguments.contains("-A") && arguments.contains("cgroup")) {
          groupsWhileCut.add(cgroupOf(pid));
        }
      }, "MESSENGER-NODE-8901");
      commands.clear();

      cut.cutFor(pid, "127.0.0.2", Duration.ofMillis(1));

      String group = "MESSENGER-NODE-8901-" + pid;
      assertThat(commands).containsExactly(
          "-w -A MESSENGER-NODE-8901 -d 127.0.0.2 -j DROP",
          "-w -A MESSENGER-NODE-8901 -m cgroup --path " + group + " -j DROP",
          "-w -D MESSENGER-NODE-8901 -d 127.0.0.2 -j DROP",
          "-w -D MESSENGER-NODE-8901 -m cgroup --path " + group + " -j DROP");
      assertThat(groupsWhileCut).containsExactly("/" + group);
      assertThat(cgroupOf(pid)).isEqualTo("/");
      assertThat(ProcessCgroup.cgroup2Root().orElseThrow().resolve(group)).doesNotExist();
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void should_move_the_process_back_to_the_group_it_was_in() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    ProcessCgroup home = ProcessCgroup.create("MESSENGER-NODE-TEST-HOME");
    try {
      home.enter(sleeper.pid());
      NodeCut cut = NodeCut.open(arguments -> commands.add(String.join(" ", arguments)), "MESSENGER-NODE-8903");

      cut.cutFor(sleeper.pid(), "127.0.0.2", Duration.ofMillis(1));

      assertThat(cgroupOf(sleeper.pid())).isEqualTo("/MESSENGER-NODE-TEST-HOME");
    } finally {
      sleeper.destroyForcibly().waitFor();
      home.remove();
    }
  }

  @Test
  void should_heal_and_leave_the_cgroup_even_when_interrupted_during_the_cut() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "30").start();
    try {
      NodeCut cut = NodeCut.open(arguments -> commands.add(String.join(" ", arguments)), "MESSENGER-NODE-8902");
      commands.clear();
      Thread cutter = Thread.currentThread();
      CompletableFuture.delayedExecutor(200, java.util.concurrent.TimeUnit.MILLISECONDS).execute(cutter::interrupt);

      assertThatThrownBy(() -> cut.cutFor(sleeper.pid(), "127.0.0.3", Duration.ofSeconds(10)))
          .isInstanceOf(InterruptedException.class);
      assertThat(commands).filteredOn(c -> c.contains(" -D ")).hasSize(2);
      assertThat(cgroupOf(sleeper.pid())).isEqualTo("/");
    } finally {
      sleeper.destroyForcibly();
    }
  }

  /** The process's group in the cgroup2 hierarchy, from /proc (the "0::" line). */
  private static String cgroupOf(long pid) {
    return "/" + ProcessCgroup.groupOf(pid);
  }
}
