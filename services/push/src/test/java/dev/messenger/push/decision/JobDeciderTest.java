package dev.messenger.push.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.push.decision.Decision.DropReason;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobDeciderTest {
  private static final long COMMIT = 1_000_000;
  private static final long NOW = COMMIT + 3_000;
  private final JobDecider decider = new JobDecider(Duration.ofSeconds(30));

  private static PushCandidate message(long seq) {
    return PushCandidate.newBuilder().setConversationId("dm:alice:bob").setSeq(seq).setSenderUserId("alice")
        .setServerTimeMs(COMMIT).setBodyPreview("see you at 8").setConversationKind(ConversationKind.CONVERSATION_KIND_DIRECT)
        .build();
  }

  private static DeviceFacts facts(long delivered, long notified, long queued, long mutedUntil, boolean previews) {
    return new DeviceFacts(true, delivered, notified, queued, mutedUntil, previews, 0, 0);
  }

  @Test
  void should_drop_a_message_the_device_received_within_the_delay() {
    assertThat(decider.decide(message(3), facts(3, 0, 3, 0, false), NOW))
        .isEqualTo(new Decision.Drop(DropReason.DELIVERED));
  }

  @Test
  void should_drop_a_message_the_device_was_already_notified_of() {
    assertThat(decider.decide(message(3), facts(0, 3, 3, 0, false), NOW))
        .isEqualTo(new Decision.Drop(DropReason.ALREADY_NOTIFIED));
  }

  @Test
  void should_drop_while_muted_and_send_after_the_mute_expired() {
    assertThat(decider.decide(message(1), facts(0, 0, 1, NOW + 1, false), NOW))
        .isEqualTo(new Decision.Drop(DropReason.MUTED));
    assertThat(decider.decide(message(1), facts(0, 0, 1, NOW, false), NOW)).isInstanceOf(Decision.Send.class);
  }

  @Test
  void should_drop_an_unregistered_device() {
    assertThat(decider.decide(message(1), new DeviceFacts(false, 0, 0, 1, 0, false, 0, 0), NOW))
        .isEqualTo(new Decision.Drop(DropReason.NO_REGISTRATION));
  }

  @Test
  void should_collapse_into_the_last_job_of_a_burst_which_counts_every_new_message() {
    assertThat(decider.decide(message(1), facts(0, 0, 3, 0, false), NOW))
        .isEqualTo(new Decision.Drop(DropReason.COLLAPSED));
    Notification last = ((Decision.Send) decider.decide(message(3), facts(0, 0, 3, 0, false), NOW)).notification();
    assertThat(last.count()).isEqualTo(3);
    assertThat(last.title()).isEqualTo("3 new messages from alice");
    assertThat(last.collapseId()).isEqualTo(JobDecider.collapseId("dm:alice:bob")).hasSizeLessThanOrEqualTo(64);
  }

  @Test
  void should_count_only_what_came_after_the_delivered_cursor_or_the_last_notification() {
    Notification afterDelivered =
        ((Decision.Send) decider.decide(message(5), facts(3, 0, 5, 0, false), NOW)).notification();
    assertThat(afterDelivered.count()).isEqualTo(2);
    Notification afterNotified =
        ((Decision.Send) decider.decide(message(5), facts(1, 4, 5, 0, false), NOW)).notification();
    assertThat(afterNotified.count()).isEqualTo(1);
    assertThat(afterNotified.title()).isEqualTo("New message from alice");
  }

  @Test
  void should_send_an_endless_burst_once_the_oldest_message_waited_the_maximum_deferral() {
    long late = COMMIT + Duration.ofSeconds(30).toMillis();
    assertThat(decider.decide(message(1), facts(0, 0, 9, 0, false), late)).isInstanceOf(Decision.Send.class);
  }

  @Test
  void should_show_text_only_when_previews_are_allowed() {
    Notification hidden = ((Decision.Send) decider.decide(message(1), facts(0, 0, 1, 0, false), NOW)).notification();
    assertThat(hidden.body()).isEmpty();
    assertThat(hidden.title()).doesNotContain("see you");
    Notification shown = ((Decision.Send) decider.decide(message(1), facts(0, 0, 1, 0, true), NOW)).notification();
    assertThat(shown.body()).contains("see you at 8");
  }

  @Test
  void should_name_the_group_and_put_unread_counts_in_the_badge() {
    PushCandidate group = message(4).toBuilder().setConversationId("g:team").setConversationTitle("Team")
        .setConversationKind(ConversationKind.CONVERSATION_KIND_GROUP).build();
    Notification n = ((Decision.Send) decider.decide(group, new DeviceFacts(true, 2, 0, 4, 0, true, 5, 1), NOW))
        .notification();
    assertThat(n.title()).isEqualTo("2 new messages in Team");
    assertThat(n.body()).isEqualTo(Optional.of("alice: see you at 8"));
    assertThat(n.badge()).isEqualTo(3 + 5);
  }
}
