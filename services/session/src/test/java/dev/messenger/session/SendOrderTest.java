package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SendOrderTest {
  private final AtomicLong now = new AtomicLong(-5_000_000_000L);
  private final SendOrder order = new SendOrder(now::get);

  @Test
  void should_name_the_previous_unacknowledged_send_of_the_same_conversation() {
    assertThat(order.previous("c1", "a")).isEmpty();
    assertThat(order.previous("c2", "x")).isEmpty();
    assertThat(order.previous("c1", "b")).isEqualTo("a");
    order.answered("c1", "a", false);
    assertThat(order.previous("c1", "c")).isEqualTo("b");
    order.answered("c1", "b", false);
    order.answered("c1", "c", false);
    assertThat(order.previous("c1", "d")).isEmpty();
  }

  @Test
  void should_keep_a_send_to_be_resent_ahead_of_the_later_ones_and_name_its_own_predecessor_on_resend() {
    order.previous("c", "a");
    order.previous("c", "b");
    order.answered("c", "a", true);
    order.answered("c", "b", true);

    assertThatThrownBy(() -> order.previous("c", "new")).as("a later send is refused until they are resent")
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).contains("client_message_id a");
        });
    assertThat(order.previous("c", "a")).as("the resend of the first one goes first").isEmpty();
    assertThat(order.previous("c", "b")).isEqualTo("a");
    assertThat(order.previous("c", "new")).as("and the refused later one after them").isEqualTo("b");
  }

  @Test
  void should_stop_holding_later_sends_behind_a_refused_send_that_is_not_resent() {
    order.previous("c", "abandoned");
    order.answered("c", "abandoned", true);
    now.addAndGet(SendOrder.FORGET_AFTER.toNanos() - 1);
    assertThatThrownBy(() -> order.previous("c", "held")).isInstanceOf(StatusRuntimeException.class);
    now.addAndGet(2);

    assertThat(order.previous("c", "held")).as("the abandoned one no longer holds it").isEmpty();
    assertThat(order.outstanding()).isEqualTo(1);
  }

  @Test
  void should_bound_the_sends_it_tracks() {
    for (int i = 0; i < SendOrder.MAX_OUTSTANDING; i++) {
      order.previous("c" + (i % 7), "m" + i);
    }
    assertThatThrownBy(() -> order.previous("c0", "one-too-many"))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    order.answered("c0", "m0", false);
    order.answered("c1", "m1", false);
    assertThat(order.previous("c1", "fits-again")).isNotEmpty();
    order.answered("c2", "m2", false);
    assertThatThrownBy(() -> order.previous("c0", "later")).as("the refused one is not overtaken")
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).contains("client_message_id one-too-many");
        });
  }

  @Test
  void should_stop_recording_refusals_at_twice_the_bound() {
    for (int i = 0; i < 2 * SendOrder.MAX_OUTSTANDING + 10; i++) {
      try {
        order.previous("c" + i, "m" + i);
      } catch (StatusRuntimeException refused) {
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      }
    }
    assertThat(order.outstanding()).isEqualTo(2 * SendOrder.MAX_OUTSTANDING);
  }
}
