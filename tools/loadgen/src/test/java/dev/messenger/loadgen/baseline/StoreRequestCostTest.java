package dev.messenger.loadgen.baseline;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StoreRequestCostTest {

  @Test
  void should_refuse_a_store_process_given_twice_or_none() {
    assertThatThrownBy(() -> new StoreRequestCost(null, List.of(101L, 102L, 101L), "t", "{}", ConsistencyLevel.ONE,
        10)).isInstanceOf(IllegalArgumentException.class).hasMessage("store process given twice: [101, 102, 101]");
    assertThatThrownBy(() -> StoreRequestCost.requireDistinct(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no store process to read the CPU of");
  }
}
