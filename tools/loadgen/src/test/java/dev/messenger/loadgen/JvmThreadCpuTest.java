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
  void should_group_a_pools_threads_by_their_name_without_numbers() {
    assertThat(JvmThreadCpu.group("GC Thread#3")).isEqualTo("GC Thread#N");
    assertThat(JvmThreadCpu.group("C2 CompilerThre")).as("a number after a letter is part of the name")
        .isEqualTo("C2 CompilerThre");
    assertThat(JvmThreadCpu.group("COMMIT-LOG-WRIT")).isEqualTo("COMMIT-LOG-WRIT");
    assertThat(JvmThreadCpu.group("ReadStage-12")).as("a store worker names itself after its stage of the moment")
        .isEqualTo("store stage workers");
    assertThat(JvmThreadCpu.group("Native-Transpor")).isEqualTo("store stage workers");
    assertThat(JvmThreadCpu.group("MutationStage-4")).isEqualTo("store stage workers");
    assertThat(JvmThreadCpu.group("RequestResponse")).isEqualTo("store stage workers");
    assertThat(JvmThreadCpu.group("SharedPool-Work")).as("a worker not yet given work").isEqualTo("store stage workers");
  }

  @Test
  void should_read_a_live_jvms_threads_by_id_and_nothing_of_a_missing_process() {
    var readings = JvmThreadCpu.read(ProcessHandle.current().pid());

    assertThat(readings.byThread().values()).extracting(JvmThreadCpu.NamedTicks::name).contains("C1 CompilerThre");
    assertThat(readings.byThread()).as("keyed by thread id; the process's first thread has the process id")
        .containsKey(ProcessHandle.current().pid());
    assertThat(JvmThreadCpu.read(Long.MAX_VALUE).byThread()).isEmpty();
  }

  @Test
  void should_read_the_ticks_of_a_live_jvms_threads_by_kind_and_nothing_of_a_missing_process() {
    var ticks = JvmThreadCpu.read(ProcessHandle.current().pid()).byKind();

    assertThat(ticks).containsKeys(Kind.JIT, Kind.GC, Kind.OTHER);
    assertThat(ticks.get(Kind.OTHER)).as("this test's own threads ran").isPositive();
    assertThat(JvmThreadCpu.read(Long.MAX_VALUE).byKind()).isEmpty();
  }
}
