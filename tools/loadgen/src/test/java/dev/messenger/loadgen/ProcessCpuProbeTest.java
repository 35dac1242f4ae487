package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessCpuProbeTest {
  @Test
  void should_measure_the_cpu_a_process_spent_in_the_window_and_say_when_it_cannot() {
    long self = ProcessHandle.current().pid();
    ProcessCpuProbe probe = new ProcessCpuProbe(Map.of("loadgen", self, "gone", Long.MAX_VALUE));

    probe.windowStarts();
    long spin = System.nanoTime() + 300_000_000L;
    double sink = 0;
    while (System.nanoTime() < spin) {
      sink += Math.sqrt(sink + 1);
    }
    Map<String, Object> result = probe.windowEnds();

    @SuppressWarnings("unchecked")
    Map<String, Object> cpu = (Map<String, Object>) result.get(ProcessCpuProbe.KEY);
    @SuppressWarnings("unchecked")
    Map<String, Object> seconds = (Map<String, Object>) cpu.get("cpu_s");
    assertThat((Double) seconds.get("loadgen")).as("spun for 0.3 s (sink %s)", sink).isGreaterThan(0.1);
    assertThat(seconds.get("gone")).isEqualTo("unreadable");
    assertThat((Double) cpu.get("total_cpu_s")).isEqualTo((Double) seconds.get("loadgen"), org.assertj.core.data.Offset.offset(0.011));
  }
}
