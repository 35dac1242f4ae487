package dev.messenger.systemtests.push;

import static dev.messenger.systemtests.push.PushCluster.apnsDevice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.SendAck;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.client.MessengerListener;
import dev.messenger.common.auth.Principal;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.push.PushNode;
import dev.messenger.router.Router;
import dev.messenger.router.RouterConfig;
import dev.messenger.session.SessionConfig;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Push jobs are a projection of the message log: a message sent through a session server and committed by
 * a router reaches the recipient's phone, which has no live stream, through the push service. Its users are
 * its own: the push test classes share one keyspace.
 */
@WithRealInfrastructure
@ExtendWith(PushKeyspace.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PushFromMessagesIT {
  private static PushCluster cluster;
  private static PushNode push;
  private static Client etcd;
  private static Connection routerNats;
  private static Connection sessionNats;
  private static Router router;
  private static SessionNode session;
  private static MessengerClient mia;

  @BeforeAll
  static void start(PushKeyspace.Shared shared) throws Exception {
    cluster = PushCluster.create(shared);
    push = cluster.startPush("push-m", new PrometheusRegistry(), config -> config);
    HistoryConfig history = HistoryConfig.inKeyspace(cluster.keyspace);
    etcd = cluster.infra.connectEtcd();
    routerNats = cluster.infra.connectNats(cluster.name + "-router");
    sessionNats = cluster.infra.connectNats(cluster.name + "-session");
    router = Router.start(RouterConfig.defaults("router-m").withSubjects(cluster.subjects), etcd, routerNats,
        cluster.cql, history, new PrometheusRegistry());
    session = SessionNode.start(SessionConfig.defaults("session-m", PushCluster.TOKEN_KEY)
        .withSubjects(cluster.subjects), etcd, sessionNats, cluster.cql, history, new PrometheusRegistry());
    await().atMost(Duration.ofSeconds(60)).until(() -> router.ownedShards() == 64);
    String token = cluster.tokens.issue(new Principal("mia", "laptop"), Duration.ofHours(1));
    mia = MessengerClient.builder().target(session.address()).tokenSupplier(() -> token)
        .listener(new MessengerListener() {}).cursorStore(new InMemoryCursorStore()).useDiscovery(false)
        .build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (mia != null) {
      mia.close();
    }
    if (session != null) {
      session.close();
    }
    if (router != null) {
      router.close();
    }
    for (Connection c : new Connection[] {routerNats, sessionNats}) {
      if (c != null) {
        c.close();
      }
    }
    if (etcd != null) {
      etcd.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_notify_a_member_without_a_live_stream_of_a_message_sent_through_the_stack() throws Exception {
    String noahPhone = "aa01bb02cc03dd04ee05ff06000000b0";
    String miaPhone = "aa01bb02cc03dd04ee05ff06000000a0";
    cluster.devices(push, "noah", "iphone").registerDevice(apnsDevice(noahPhone));
    cluster.devices(push, "mia", "iphone").registerDevice(apnsDevice(miaPhone));
    assertThat(mia.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();

    SendAck ack = mia.sendTo("noah", "are you up?").get(20, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.apns.to(noahPhone).size() == 1);
    assertThat(cluster.apns.to(noahPhone).get(0).title()).isEqualTo("New message from mia");
    assertThat(ack.getSeq()).isEqualTo(1);
    assertThat(cluster.apns.to(miaPhone)).as("the sender's own devices").isEmpty();
  }
}
