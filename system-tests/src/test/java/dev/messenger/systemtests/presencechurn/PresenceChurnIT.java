package dev.messenger.systemtests.presencechurn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.common.Subjects;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.loadgen.presence.Arrivals;
import dev.messenger.loadgen.presence.ChurnReport;
import dev.messenger.loadgen.presence.ChurnResult;
import dev.messenger.loadgen.presence.ChurnSettings;
import dev.messenger.loadgen.presence.ChurnTally;
import dev.messenger.loadgen.presence.ChurnTarget;
import dev.messenger.loadgen.presence.PresenceChurn;
import dev.messenger.presence.PresenceConfig;
import dev.messenger.presence.PresenceNode;
import dev.messenger.presence.store.PresenceStoreConfig;
import dev.messenger.router.Router;
import dev.messenger.router.RouterConfig;
import dev.messenger.session.SessionConfig;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The presence churn scenario of the load generator against a real session server, router and presence
 * instance (short timings: online after 200 ms, offline after 1 s): every connect and every long disconnect
 * reaches every watcher exactly once, and blips reach nobody.
 */
@WithRealInfrastructure
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PresenceChurnIT {
  private static final String TOKEN_KEY = "presence-churn-test-signing-key-0123456789";
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration ONLINE_DELAY = Duration.ofMillis(200);

  private static String name;
  private static CqlSession cql;
  private static Client etcd;
  private static Connection sessionNats;
  private static Connection routerNats;
  private static Connection presenceNats;
  private static SessionNode session;
  private static Router router;
  private static PresenceNode presence;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    name = "pc" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    InfraSettings infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(),
        endpoints.cqlContactPoints(), endpoints.cqlLocalDatacenter());
    HistoryConfig history = HistoryConfig.inKeyspace(name);
    Subjects subjects = new Subjects(name);
    cql = infra.connectCql();
    HistorySchema.create(cql, history);
    etcd = infra.connectEtcd();
    sessionNats = infra.connectNats(name + "-session");
    routerNats = infra.connectNats(name + "-router");
    presenceNats = infra.connectNats(name + "-presence");
    session = SessionNode.start(SessionConfig.defaults(name + "-session", TOKEN_KEY).withSubjects(subjects), etcd,
        sessionNats, cql, history, new PrometheusRegistry());
    router = Router.start(RouterConfig.defaults(name + "-router").withSubjects(subjects), etcd, routerNats, cql,
        history, new PrometheusRegistry());
    presence = PresenceNode.start(PresenceConfig.defaults(TOKEN_KEY)
            .withEphemeralPorts()
            .withSubjects(subjects)
            .withStore(PresenceStoreConfig.inKeyspace(name))
            .withTimings(GRACE, ONLINE_DELAY, Duration.ofSeconds(1)),
        etcd, presenceNats, cql, new PrometheusRegistry());
    await().atMost(Duration.ofSeconds(30))
        .until(() -> router.ownedShards() == 64 && presence.ownedPartitions().size() == 64);
  }

  @AfterAll
  static void stop() {
    if (presence != null) {
      presence.close();
    }
    if (session != null) {
      session.close();
    }
    if (router != null) {
      router.close();
    }
    for (Connection nats : new Connection[] {presenceNats, sessionNats, routerNats}) {
      closeQuietly(nats);
    }
    if (etcd != null) {
      etcd.close();
    }
    if (cql != null) {
      cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + name).setTimeout(Duration.ofSeconds(60)));
      cql.close();
    }
  }

  @Test
  void should_tell_every_watcher_of_every_visible_transition_once_and_of_no_blip() throws Exception {
    ChurnSettings settings = ChurnSettings.defaults()
        .withPopulation(5, 6, 10)
        .withRate(2.5, Arrivals.POISSON)
        .withExpectedDelays(ONLINE_DELAY, GRACE, Duration.ofMillis(300))
        .withHolds(Duration.ofMillis(1_200), Duration.ofSeconds(2), 0.3, Duration.ofMillis(500))
        .withTiming(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(10))
        .withSeed(11);
    ChurnTarget target = new ChurnTarget(List.of(session.address()), TOKEN_KEY, true, 2);

    ChurnResult result = new PresenceChurn(settings, target, line -> { }).run();
    ChurnTally tally = result.tally();

    assertThat(tally.unexpected()).as(ChurnReport.summary(result)).isZero();
    assertThat(tally.missing()).as(ChurnReport.summary(result)).isZero();
    // Client-side errors are not asserted: on a loaded machine a stream may be refused once (e.g. the bus was
    // slow to confirm a subscription) and the client reconnects; what matters is that nothing went amiss.
    assertThat(result.errors()).containsEntry("churner_connect_failures", 0L);
    assertThat(result.answersMissing()).isZero();
    assertThat(tally.answers()).isEqualTo(5 * 6);
    assertThat(tally.connects()).isPositive();
    assertThat(tally.disconnects()).isPositive();
    assertThat(tally.blipDisconnects()).isPositive();
    // Every churning user has three watchers (5 watchers x 6 watches over 10 users).
    assertThat(tally.expected()).isEqualTo(3 * (tally.connects() + tally.disconnects()));
    assertThat(tally.received()).isEqualTo(tally.expected());
    assertThat(tally.online().count() + tally.offline().count()).isEqualTo(tally.received());
    assertThat(tally.windowFrames()).isPositive();
    assertThat(tally.retired()).isZero();
  }

  private static void closeQuietly(Connection nats) {
    if (nats == null) {
      return;
    }
    try {
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
