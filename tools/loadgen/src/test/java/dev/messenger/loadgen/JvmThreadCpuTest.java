package dev.messenger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.loadgen.JvmThreadCpu.Kind;
import org.junit.jupiter.api.Test;

class JvmThreadCpuTest {
  @Test
  void should_tell_the_jit_compilers_and_the_garbage_collector_from_the_rest_by_thread_name() {
    assertThat(Kind.of("C2 CompilerThre")).isEqualTo(Kind.JIT);
    assertThat(Kind.of("C1 CompilerThre")).isEqualTo(Kind.JIT);
    assertThat(Kind.of("GC Thread#1")).isEqualTo(Kind.GC);
    assertThat(Kind.of("G1 Conc#0")).isEqualTo(Kind.GC);
    assertThat(Kind.of("G1 Refine#0")).isEqualTo(Kind.GC);
    assertThat(Kind.of("VM Thread")).isEqualTo(Kind.GC);
    assertThat(Kind.of("Native-Transpor")).isEqualTo(Kind.OTHER);
    assertThat(Kind.of("grpc-default-ex")).isEqualTo(Kind.OTHER);
  }

  @Test
  void should_read_the_ticks_of_a_live_jvms_threads_by_kind_and_nothing_of_a_missing_process() {
    var ticks = JvmThreadCpu.ticks(ProcessHandle.current().pid());

    assertThat(ticks).containsKeys(Kind.JIT, Kind.GC, Kind.OTHER);
    assertThat(ticks.get(Kind.OTHER)).as("this test's own threads ran").isPositive();
    assertThat(JvmThreadCpu.ticks(Long.MAX_VALUE)).isEmpty();
  }
}
