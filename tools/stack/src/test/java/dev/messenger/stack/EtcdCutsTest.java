package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EtcdCutsTest {
  @Test
  void should_answer_why_a_stack_whose_etcd_is_not_local_cannot_cut() {
    EtcdCuts none = EtcdCuts.none();

    assertThat(none.hasPathFor("router")).isFalse();
    assertThatThrownBy(() -> none.cutFor("router", Duration.ofSeconds(1)))
        .isInstanceOf(IptablesException.class).hasMessageContaining("etcd is not local");
  }
}
