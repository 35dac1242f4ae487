package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.ClientFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PendingControlTest {
  private final PendingControl control = new PendingControl();

  private List<ClientFrame> drain() {
    List<ClientFrame> frames = new ArrayList<>();
    for (ClientFrame frame = control.poll(); frame != null; frame = control.poll()) {
      frames.add(frame);
    }
    return frames;
  }

  @Test
  void should_coalesce_read_markers_to_the_highest_seq() {
    control.markRead("c1", 3);
    control.markRead("c1", 9);
    control.markRead("c1", 5);

    assertThat(drain()).singleElement()
        .satisfies(frame -> assertThat(frame.getRead().getUpToSeq()).isEqualTo(9));
  }

  @Test
  void should_bound_typing_states_and_drop_them_on_a_new_stream() {
    for (int i = 0; i < 1_000; i++) {
      control.setTyping("c" + i, true);
    }
    assertThat(drain()).hasSize(PendingControl.MAX_TYPING);

    control.setTyping("c1", true);
    control.newStream();
    assertThat(drain()).isEmpty();
  }

  @Test
  void should_send_deltas_then_the_whole_watch_list_on_a_new_stream() {
    control.watch(Set.of("bob"), Set.of());
    assertThat(drain()).singleElement()
        .satisfies(frame -> assertThat(frame.getPresenceWatch().getAddUserIdsList()).containsExactly("bob"));
    control.watch(Set.of("carol"), Set.of("bob"));
    assertThat(drain()).singleElement().satisfies(frame -> {
      assertThat(frame.getPresenceWatch().getAddUserIdsList()).containsExactly("carol");
      assertThat(frame.getPresenceWatch().getRemoveUserIdsList()).containsExactly("bob");
    });

    control.newStream();

    assertThat(drain()).singleElement().satisfies(frame -> {
      assertThat(frame.getPresenceWatch().getAddUserIdsList()).containsExactly("carol");
      assertThat(frame.getPresenceWatch().getRemoveUserIdsList()).isEmpty();
    });
  }

  @Test
  void should_refuse_to_watch_more_than_500_users() {
    Set<String> many = IntStream.range(0, 501).mapToObj(i -> "u" + i).collect(Collectors.toSet());

    assertThatThrownBy(() -> control.watch(many, Set.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
