package dev.messenger.systemtests.push;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.push.store.PushSchema;
import dev.messenger.push.store.PushStoreConfig;
import dev.messenger.testing.RealInfrastructure;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One keyspace with history's and push's tables for all push test classes of a run (schema changes take
 * about a second each), dropped when the run ends. Each class still has its own namespace (NATS streams)
 * and its own users.
 */
final class PushKeyspace implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PushKeyspace.class);

  /** What a push test class is given: the infrastructure and the shared keyspace. */
  record Shared(InfrastructureEndpoints endpoints, String keyspace) {}

  @Override
  public void beforeAll(ExtensionContext context) {
    shared(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Shared.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  private static Shared shared(ExtensionContext context) {
    InfrastructureEndpoints endpoints = RealInfrastructure.endpoints(context);
    String name = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Holder.class, key -> new Holder(endpoints), Holder.class).name;
    return new Shared(endpoints, name);
  }

  private static final class Holder implements ExtensionContext.Store.CloseableResource {
    private final String name = "pu" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final CqlSession cql;

    Holder(InfrastructureEndpoints endpoints) {
      cql = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(), endpoints.cqlContactPoints(),
          endpoints.cqlLocalDatacenter()).connectCql();
      HistorySchema.create(cql, HistoryConfig.inKeyspace(name));
      PushSchema.create(cql, PushStoreConfig.inKeyspace(name));
    }

    @Override
    public void close() {
      cql.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + name).setTimeout(Duration.ofSeconds(60)));
      cql.close();
    }
  }
}
