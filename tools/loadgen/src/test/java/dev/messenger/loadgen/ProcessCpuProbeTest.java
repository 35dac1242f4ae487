package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ProcessCpuProbeTest {
  @Test
  void should_measure_the_cpu_a_process_spent_in_the_window_and_say_when_it_cannot() throws InterruptedException {
    long self = ProcessHandle.current().pid();
    ProcessCpuProbe probe = new ProcessCpuProbe(Map.of("loadgen", self, "gone", Long.MAX_VALUE));

    probe.windowStarts();
    double[] sink = new double[1];
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    Thread spinner = new Thread(() -> {
      // Spins until this thread has had 0.3 s of CPU, not of wall time: on a busy machine the latter can be a
      // small share of a core (a benchmark ran beside it once: under 0.1 s).
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long start = threads.getCurrentThreadCpuTime();
      long giveUp = System.nanoTime() + 20_000_000_000L;
      while (threads.getCurrentThreadCpuTime() - start < 300_000_000L && System.nanoTime() < giveUp) {
        for (int i = 0; i < 10_000; i++) {
          sink[0] += Math.sqrt(sink[0] + 1);
        }
      }
      spun.countDown();
      awaitQuietly(read); // alive when the window ends: an ended thread's ticks are in no reading
    }, "spinner-7");
    spinner.setDaemon(true);
    spinner.start();
    Map<String, Object> result;
    try {
      spun.await();
      result = probe.windowEnds();
    } finally {
      read.countDown();
    }
    spinner.join();

    @SuppressWarnings("unchecked")
    Map<String, Object> cpu = (Map<String, Object>) result.get(ProcessCpuProbe.KEY);
    @SuppressWarnings("unchecked")
    Map<String, Object> seconds = (Map<String, Object>) cpu.get("cpu_s");
    assertThat((Double) seconds.get("loadgen")).as("spun for 0.3 s (sink %s)", sink[0]).isGreaterThan(0.1);
    assertThat(seconds.get("gone")).isEqualTo("unreadable");
    assertThat((Double) cpu.get("total_cpu_s")).isEqualTo((Double) seconds.get("loadgen"), org.assertj.core.data.Offset.offset(0.011));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> groups = (Map<String, Map<String, Double>>) cpu.get("thread_groups_cpu_s");
    assertThat(groups.get("loadgen")).as("the spinning thread's group").containsKey("spinner-N");
    assertThat(groups).doesNotContainKey("gone");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void should_count_each_threads_increase_for_the_group_of_its_name_at_the_end() {
    // The store's stage workers rename themselves as they move between stages: a thread's whole past must not
    // move with its name, only what it spent in the window counts, under the name it has at the end.
    Map<Long, JvmThreadCpu.NamedTicks> before = Map.of(
        1L, new JvmThreadCpu.NamedTicks("ReadStage-3", 5_000),
        2L, new JvmThreadCpu.NamedTicks("COMMIT-LOG-WRIT", 50),
        3L, new JvmThreadCpu.NamedTicks("idle", 10),
        4L, new JvmThreadCpu.NamedTicks("ended", 10),
        6L, new JvmThreadCpu.NamedTicks("Messaging-A", 9_000));
    Map<Long, JvmThreadCpu.NamedTicks> after = Map.of(
        1L, new JvmThreadCpu.NamedTicks("MutationStage-9", 5_300),
        2L, new JvmThreadCpu.NamedTicks("COMMIT-LOG-WRIT", 750),
        3L, new JvmThreadCpu.NamedTicks("idle", 11),
        5L, new JvmThreadCpu.NamedTicks("epollEventLoopG", 200),
        6L, new JvmThreadCpu.NamedTicks("Messaging-B", 9_100));

    Map<String, Double> busiest = ProcessCpuProbe.busiestGroups(before, after, 13.0);

    assertThat(busiest.keySet()).as("busiest first; under 5 %% of the process left out")
        .containsExactly("COMMIT-LOG-WRIT", "store stage workers", "epollEventLoopG", "Messaging-B");
    assertThat(busiest).containsEntry("COMMIT-LOG-WRIT", 7.0).containsEntry("store stage workers", 3.0)
        .containsEntry("epollEventLoopG", 2.0).containsEntry("Messaging-B", 1.0);
  }

  @Test
  void should_list_at_most_six_groups_and_none_without_a_first_reading() {
    Map<Long, JvmThreadCpu.NamedTicks> before = new java.util.HashMap<>();
    Map<Long, JvmThreadCpu.NamedTicks> after = new java.util.HashMap<>();
    for (long thread = 1; thread <= 8; thread++) {
      before.put(thread, new JvmThreadCpu.NamedTicks("pool" + (char) ('a' + thread), 0));
      after.put(thread, new JvmThreadCpu.NamedTicks("pool" + (char) ('a' + thread), 100 * thread));
    }

    assertThat(ProcessCpuProbe.busiestGroups(before, after, 36.0).keySet())
        .containsExactly("pooli", "poolh", "poolg", "poolf", "poole", "poold");
    assertThat(ProcessCpuProbe.busiestGroups(Map.of(), after, 36.0)).isEmpty();
  }
}
