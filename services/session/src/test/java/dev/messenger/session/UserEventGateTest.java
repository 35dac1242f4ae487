package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.Receipt;
import dev.messenger.api.v1.TypingUpdate;
import dev.messenger.common.Subjects;
import dev.messenger.common.UserEventPublisher;
import dev.messenger.internal.v1.DeviceHeartbeat;
import dev.messenger.internal.v1.Projected;
import dev.messenger.internal.v1.UserEvent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UserEventGateTest {
  private static final Subjects SUBJECTS = new Subjects("msgr");
  private static final UserEvent MESSAGE = UserEvent.newBuilder()
      .setMessage(Message.newBuilder().setConversationId("dm:alice:bob").setSeq(1).setBody("forged")).build();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final UserEventGate gate = new UserEventGate(SUBJECTS, registry, System::nanoTime);

  @Test
  void should_drop_a_message_that_arrived_on_the_session_or_presence_subject_and_count_it() {
    assertThat(gate.admits(SUBJECTS.user("alice", UserEventPublisher.SESSION), MESSAGE)).isFalse();
    assertThat(gate.admits(SUBJECTS.user("alice", UserEventPublisher.PRESENCE), MESSAGE)).isFalse();

    assertThat(refused()).containsEntry("message", 2.0);
  }

  @Test
  void should_admit_each_kind_from_its_publisher_only() {
    Map<UserEvent, UserEventPublisher> publisherOf = Map.of(
        MESSAGE, UserEventPublisher.ROUTER,
        UserEvent.newBuilder().setProjected(Projected.newBuilder().setUpToSeq(1)).build(), UserEventPublisher.ROUTER,
        UserEvent.newBuilder().setReceipt(Receipt.newBuilder().setUpToSeq(1)).build(), UserEventPublisher.SESSION,
        UserEvent.newBuilder().setTyping(TypingUpdate.newBuilder().setTyping(true)).build(), UserEventPublisher.SESSION,
        UserEvent.newBuilder().setDeviceHeartbeat(DeviceHeartbeat.newBuilder().setDeviceId("d")).build(),
        UserEventPublisher.SESSION,
        UserEvent.newBuilder().setPresence(PresenceUpdate.newBuilder().setUserId("bob")).build(),
        UserEventPublisher.PRESENCE);
    assertThat(publisherOf.keySet()).extracting(UserEvent::getEventCase)
        .containsExactlyInAnyOrder(List.of(UserEvent.EventCase.values()).stream()
            .filter(kind -> kind != UserEvent.EventCase.EVENT_NOT_SET).toArray(UserEvent.EventCase[]::new));

    publisherOf.forEach((event, allowed) -> {
      for (UserEventPublisher publisher : UserEventPublisher.values()) {
        assertThat(gate.admits(SUBJECTS.user("alice", publisher), event))
            .as(event.getEventCase() + " from " + publisher).isEqualTo(publisher == allowed);
      }
    });
    assertThat(refused().values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(12.0);
  }

  @Test
  void should_drop_events_on_subjects_that_name_no_publisher() {
    assertThat(gate.admits("msgr.user.alice", MESSAGE)).isFalse();
    assertThat(gate.admits("msgr.user.forged.alice", MESSAGE)).isFalse();
    assertThat(gate.admits(SUBJECTS.user("alice", UserEventPublisher.ROUTER), UserEvent.getDefaultInstance()))
        .isFalse();

    assertThat(refused()).containsEntry("message", 2.0);
  }

  @Test
  void should_serve_every_kind_at_zero_before_any_refusal() {
    assertThat(refused()).containsOnlyKeys("message", "projected", "receipt", "typing", "presence", "device_heartbeat")
        .allSatisfy((kind, count) -> assertThat(count).isZero());
  }

  private Map<String, Double> refused() {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("messenger_session_user_events_refused"))
        .map(CounterSnapshot.class::cast)
        .flatMap(s -> s.getDataPoints().stream())
        .collect(Collectors.toMap(p -> p.getLabels().get("kind"), CounterSnapshot.CounterDataPointSnapshot::getValue));
  }
}
