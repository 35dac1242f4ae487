package dev.messenger.systemtests.presence;

import static dev.messenger.api.v1.PresenceState.PRESENCE_STATE_OFFLINE;
import static dev.messenger.api.v1.PresenceState.PRESENCE_STATE_ONLINE;
import static dev.messenger.systemtests.presence.PresenceCluster.GRACE;
import static dev.messenger.systemtests.presence.PresenceCluster.REFRESH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.GetPresenceRequest;
import dev.messenger.api.v1.PresenceState;
import dev.messenger.api.v1.PresenceUpdate;
import dev.messenger.api.v1.SetPresenceVisibilityRequest;
import dev.messenger.api.v1.WatchPresenceRequest;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.client.PresenceReporter;
import dev.messenger.testing.WithRealInfrastructure;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Who hears what: explicit watches, the WatchPresence stream, GetPresence, hiding, limits and auth. */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PresenceApiIT {
  private static final Duration SHORTLY = Duration.ofSeconds(5);
  private static PresenceCluster cluster;
  private static PresenceNode presence;
  private static PresenceReporter session;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = PresenceCluster.create(endpoints);
    presence = cluster.startPresence("presence-api", new PrometheusRegistry());
    await().atMost(Duration.ofSeconds(30)).until(() -> presence.ownedPartitions().size() == PresenceCluster.PARTITIONS);
    session = cluster.reporter("session-api", REFRESH);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_tell_a_stream_the_current_state_and_the_changes_of_a_user_it_watches() throws Exception {
    Watcher dave = cluster.watcher("dave5");
    session.streamOpened("carol5", "phone", "carol5-phone");
    await().atMost(SHORTLY).until(() -> presence.showsOnline("carol5"));

    session.streamOpened("dave5", "phone", "dave5-phone");
    session.watch("dave5", "dave5-phone", List.of("carol5"), List.of());
    await().atMost(SHORTLY).until(() -> dave.lastState("carol5") == PRESENCE_STATE_ONLINE);

    session.streamClosed("carol5", "carol5-phone");
    await().atMost(SHORTLY).until(() -> dave.lastState("carol5") == PRESENCE_STATE_OFFLINE);

    session.watch("dave5", "dave5-phone", List.of(), List.of("carol5"));
    session.streamOpened("carol5", "phone", "carol5-phone-2");
    await().atMost(SHORTLY).until(() -> presence.showsOnline("carol5"));
    await().during(Duration.ofSeconds(1)).atMost(SHORTLY).until(() -> dave.of("carol5").size() == 2);
  }

  @Test
  void should_stream_the_initial_state_then_the_changes_to_a_web_watcher_of_a_contact_and_a_group_co_member() {
    cluster.addContacts("erin6", "frank6");
    cluster.addGroup("g:team6", "frank6", "gina6");
    session.streamOpened("erin6", "phone", "erin6-phone");
    await().atMost(SHORTLY).until(() -> presence.showsOnline("erin6"));
    List<PresenceUpdate> received = new CopyOnWriteArrayList<>();
    Context.CancellableContext call = Context.current().withCancellation();

    call.run(() -> cluster.async(presence, "frank6").watchPresence(
        WatchPresenceRequest.newBuilder().addUserIds("erin6").addUserIds("gina6").build(), collect(received)));
    try {
      await().atMost(SHORTLY).until(() -> received.size() >= 2);
      assertThat(received.subList(0, 2)).extracting(PresenceUpdate::getUserId, PresenceUpdate::getState)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("erin6", PRESENCE_STATE_ONLINE),
              org.assertj.core.groups.Tuple.tuple("gina6", PRESENCE_STATE_OFFLINE));

      session.streamOpened("gina6", "laptop", "gina6-laptop");
      await().atMost(SHORTLY).until(() -> lastOf(received, "gina6") == PRESENCE_STATE_ONLINE);
      session.streamClosed("erin6", "erin6-phone");
      await().atMost(SHORTLY).until(() -> lastOf(received, "erin6") == PRESENCE_STATE_OFFLINE);
    } finally {
      call.cancel(null);
    }
  }

  @Test
  void should_show_a_stranger_or_a_former_group_member_as_hidden_and_never_stream_their_changes() {
    cluster.addGroup("g:club9", "lena9", "kurt9");
    cluster.removeFromGroup("g:club9", "kurt9");
    session.streamOpened("kurt9", "phone", "kurt9-phone");
    session.streamOpened("mona9", "phone", "mona9-phone");
    await().atMost(SHORTLY).until(() -> presence.showsOnline("kurt9") && presence.showsOnline("mona9"));
    PresenceUpdate hidden = PresenceUpdate.newBuilder().setState(PRESENCE_STATE_OFFLINE).build();

    assertThat(cluster.blocking(presence, "lena9")
            .getPresence(GetPresenceRequest.newBuilder().addUserIds("mona9").addUserIds("kurt9").build())
            .getPresencesList())
        .containsExactly(hidden.toBuilder().setUserId("mona9").build(), hidden.toBuilder().setUserId("kurt9").build());

    List<PresenceUpdate> received = new CopyOnWriteArrayList<>();
    Context.CancellableContext call = Context.current().withCancellation();
    call.run(() -> cluster.async(presence, "lena9").watchPresence(
        WatchPresenceRequest.newBuilder().addUserIds("mona9").build(), collect(received)));
    try {
      await().atMost(SHORTLY).until(() -> received.size() == 1);
      assertThat(received.get(0)).isEqualTo(hidden.toBuilder().setUserId("mona9").build());
      session.streamClosed("mona9", "mona9-phone");
      await().atMost(SHORTLY).until(() -> !presence.showsOnline("mona9"));
      await().during(Duration.ofSeconds(1)).atMost(SHORTLY).until(() -> received.size() == 1);
    } finally {
      call.cancel(null);
    }
    cluster.addContacts("lena9", "mona9");
    assertThat(getPresence("lena9", "mona9").getLastSeenMs()).as("a contact sees the last seen time").isPositive();
  }

  @Test
  void should_hide_a_user_who_asks_and_show_them_again() throws Exception {
    cluster.addContacts("hana7", "ivan7");
    Watcher ivan = cluster.watcher("ivan7");
    session.streamOpened("hana7", "phone", "hana7-phone");
    await().atMost(SHORTLY).until(() -> ivan.lastState("hana7") == PRESENCE_STATE_ONLINE);

    cluster.blocking(presence, "hana7").setPresenceVisibility(
        SetPresenceVisibilityRequest.newBuilder().setHidden(true).build());
    await().atMost(SHORTLY).until(() -> ivan.lastState("hana7") == PRESENCE_STATE_OFFLINE);
    assertThat(ivan.of("hana7").get(1).update().getLastSeenMs()).isZero();

    session.streamClosed("hana7", "hana7-phone");
    await().atMost(SHORTLY).until(() -> !presence.showsOnline("hana7"));
    assertThat(getPresence("ivan7", "hana7"))
        .isEqualTo(PresenceUpdate.newBuilder().setUserId("hana7").setState(PRESENCE_STATE_OFFLINE).build());
    session.streamOpened("hana7", "phone", "hana7-phone-2");
    await().atMost(SHORTLY).until(() -> presence.showsOnline("hana7"));
    await().during(GRACE).atMost(SHORTLY).until(() -> ivan.of("hana7").size() == 2);

    cluster.blocking(presence, "hana7").setPresenceVisibility(
        SetPresenceVisibilityRequest.newBuilder().setHidden(false).build());
    await().atMost(SHORTLY).until(() -> ivan.lastState("hana7") == PRESENCE_STATE_ONLINE);
    assertThat(getPresence("ivan7", "hana7").getState()).isEqualTo(PRESENCE_STATE_ONLINE);
  }

  @Test
  void should_refuse_too_many_users_malformed_ids_and_calls_without_a_token() {
    List<String> users201 = IntStream.range(0, 201).mapToObj(i -> "u" + i).toList();
    List<String> users501 = IntStream.range(0, 501).mapToObj(i -> "u" + i).toList();

    assertRefused(() -> cluster.blocking(presence, "jo8")
        .getPresence(GetPresenceRequest.newBuilder().addAllUserIds(users201).build()),
        Status.Code.INVALID_ARGUMENT, "TOO_MANY_USERS");
    assertRefused(() -> cluster.blocking(presence, "jo8")
        .watchPresence(WatchPresenceRequest.newBuilder().addAllUserIds(users501).build()).hasNext(),
        Status.Code.INVALID_ARGUMENT, "TOO_MANY_USERS");
    assertRefused(() -> cluster.blocking(presence, "jo8")
        .getPresence(GetPresenceRequest.newBuilder().addUserIds("not valid").build()),
        Status.Code.INVALID_ARGUMENT, "INVALID_USER_ID");
    assertRefused(() -> cluster.anonymous(presence)
        .getPresence(GetPresenceRequest.newBuilder().addUserIds("jo8").build()),
        Status.Code.UNAUTHENTICATED, "MISSING_TOKEN");
    assertThat(cluster.blocking(presence, "jo8")
        .getPresence(GetPresenceRequest.newBuilder().addAllUserIds(users201.subList(0, 200)).build())
        .getPresencesCount()).isEqualTo(200);
  }

  private static PresenceUpdate getPresence(String caller, String userId) {
    return cluster.blocking(presence, caller)
        .getPresence(GetPresenceRequest.newBuilder().addUserIds(userId).build())
        .getPresences(0);
  }

  private static PresenceState lastOf(List<PresenceUpdate> updates, String userId) {
    PresenceState last = PresenceState.PRESENCE_STATE_UNSPECIFIED;
    for (PresenceUpdate update : updates) {
      if (update.getUserId().equals(userId)) {
        last = update.getState();
      }
    }
    return last;
  }

  private static void assertRefused(Runnable call, Status.Code code, String reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo(reason);
    });
  }

  private static StreamObserver<PresenceUpdate> collect(List<PresenceUpdate> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(PresenceUpdate update) {
        into.add(update);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }
}
