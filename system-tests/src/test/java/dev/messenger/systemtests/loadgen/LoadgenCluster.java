package dev.messenger.systemtests.loadgen;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.common.Subjects;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.history.store.HistoryStore;
import dev.messenger.router.log.MessageLog;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.router.Router;
import dev.messenger.router.RouterConfig;
import dev.messenger.session.SessionConfig;
import dev.messenger.session.SessionNode;
import io.etcd.jetcd.Client;
import io.nats.client.Connection;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * One session server and one router in this JVM on the shared real infrastructure, in their own keyspace
 * and namespace: the deployment a small load run drives.
 */
final class LoadgenCluster implements AutoCloseable {
  static final String TOKEN_KEY = "loadgen-system-test-signing-key-0123456789";

  final HistoryStore history;
  final MessageLog log;
  final SessionNode session;
  final Router router;
  private final String name;
  private final CqlSession cql;
  private final Client etcd;
  private final Connection sessionNats;
  private final Connection routerNats;

  LoadgenCluster(InfrastructureEndpoints endpoints) {
    name = "lg" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    InfraSettings infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(),
        endpoints.cqlContactPoints(), endpoints.cqlLocalDatacenter());
    HistoryConfig historyConfig = HistoryConfig.inKeyspace(name);
    Subjects subjects = new Subjects(name);
    cql = infra.connectCql();
    HistorySchema.create(cql, historyConfig);
    PrometheusRegistry historyRegistry = new PrometheusRegistry();
    history = HistoryStore.open(cql, historyConfig, historyRegistry, Clock.systemUTC());
    log = MessageLog.open(cql, historyConfig, historyRegistry, Clock.systemUTC());
    etcd = infra.connectEtcd();
    sessionNats = infra.connectNats(name + "-session");
    routerNats = infra.connectNats(name + "-router");
    session = SessionNode.start(SessionConfig.defaults(name + "-session", TOKEN_KEY).withSubjects(subjects), etcd,
        sessionNats, cql, historyConfig, new PrometheusRegistry());
    router = Router.start(RouterConfig.defaults(name + "-router").withSubjects(subjects), etcd, routerNats, cql,
        historyConfig, new PrometheusRegistry());
  }

  @Override
  public void close() throws Exception {
    session.close();
    router.close();
    sessionNats.close();
    routerNats.close();
    etcd.close();
    cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + name).setTimeout(Duration.ofSeconds(60)));
    cql.close();
  }
}
