package dev.messenger.loadgen.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreRequestCostShapeTest {
  @Test
  void should_read_a_shape_as_requests_by_partitions() {
    assertThat(StoreRequestCost.Shape.parse(" 800x4")).isEqualTo(new StoreRequestCost.Shape(800, 4));
    assertThatThrownBy(() -> StoreRequestCost.Shape.parse("800")).hasMessageContaining("like 800x4");
    assertThatThrownBy(() -> StoreRequestCost.Shape.parse("0x4")).hasMessageContaining("at least 1 request/s");
  }

  @Test
  void should_refuse_before_measuring_shapes_that_cannot_tell_the_two_costs_apart() {
    assertThatThrownBy(() -> StoreRequestCost.Shape.requireTellingApart(List.of(new StoreRequestCost.Shape(800, 1),
        new StoreRequestCost.Shape(1600, 1)))).as("one partition each").hasMessageContaining("two partition counts");
    assertThatThrownBy(() -> StoreRequestCost.Shape.requireTellingApart(List.of(new StoreRequestCost.Shape(800, 1),
        new StoreRequestCost.Shape(800, 4)))).as("one request rate").hasMessageContaining("two request rates");
    assertThatCode(() -> StoreRequestCost.Shape.requireTellingApart(List.of(new StoreRequestCost.Shape(800, 1),
        new StoreRequestCost.Shape(800, 4), new StoreRequestCost.Shape(1600, 1)))).doesNotThrowAnyException();
  }
}
