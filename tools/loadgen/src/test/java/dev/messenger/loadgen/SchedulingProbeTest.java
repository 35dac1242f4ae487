package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SchedulingProbeTest {
  private static final int SLEEPS = 200;

  @Test
  void should_count_the_context_switches_of_a_process_in_the_window() throws InterruptedException {
    long self = ProcessHandle.current().pid();
    SchedulingProbe probe = new SchedulingProbe(Map.of("loadgen", self, "gone", Long.MAX_VALUE));
    CountDownLatch slept = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    Thread sleeper = new Thread(() -> {
      try {
        for (int i = 0; i < SLEEPS; i++) {
          Thread.sleep(1); // each sleep gives the core up: a voluntary switch
        }
        slept.countDown();
        read.await(); // alive when the window ends: an ended thread is in no reading
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sleeper");
    sleeper.setDaemon(true);

    probe.windowStarts();
    sleeper.start();
    slept.await();
    Map<String, Object> result = probe.windowEnds();
    read.countDown();

    @SuppressWarnings("unchecked")
    Map<String, Object> scheduling = (Map<String, Object>) result.get(SchedulingProbe.KEY);
    @SuppressWarnings("unchecked")
    Map<String, Object> voluntary = (Map<String, Object>) scheduling.get("voluntary_switches");
    assertThat((Long) voluntary.get("loadgen")).isGreaterThanOrEqualTo(SLEEPS);
    assertThat(voluntary).containsEntry("gone", 0L);
    assertThat((Long) scheduling.get("total_voluntary_switches")).isEqualTo((Long) voluntary.get("loadgen"));
    assertThat((Double) scheduling.get("total_run_queue_wait_s")).isGreaterThanOrEqualTo(0.0);
  }

  @Test
  void should_read_a_threads_switches_and_its_wait_for_a_core() {
    String status = "Name:\tC2 CompilerThre\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1520\n"
        + "nonvoluntary_ctxt_switches:\t37\n";

    ThreadScheduling.Counts counts = ThreadScheduling.counts(status, "812345678 2500000000 1600\n");

    assertThat(counts).isEqualTo(new ThreadScheduling.Counts(1520, 37, 2_500_000_000L));
    assertThatThrownBy(() -> ThreadScheduling.counts("Name:\tx\n", "1 2 3\n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no context switches");
  }

  @Test
  void should_count_a_thread_that_started_whole_and_leave_out_one_that_ended() {
    ThreadScheduling before = new ThreadScheduling(Map.of(1L, new ThreadScheduling.Counts(10, 1, 1_000),
        2L, new ThreadScheduling.Counts(50, 5, 9_000)));
    ThreadScheduling after = new ThreadScheduling(Map.of(1L, new ThreadScheduling.Counts(25, 3, 4_000),
        3L, new ThreadScheduling.Counts(7, 0, 500)));

    assertThat(after.since(before)).isEqualTo(new ThreadScheduling.Counts(15 + 7, 2, 3_000 + 500));
    assertThat(after.since(new ThreadScheduling(Map.of()))).isEqualTo(ThreadScheduling.Counts.NONE);
  }
}
