package dev.messenger.systemtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.loadgen.baseline.StoreRequestCost;
import dev.messenger.testing.LocalParts;
import dev.messenger.testing.WithRealInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `loadgen cql-cost` against the real CQL store: it loads the store, reads its CPU and fits both costs. */
@WithRealInfrastructure
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreRequestCostIT {
  @Test
  @SuppressWarnings("unchecked")
  void should_measure_the_stores_cpu_under_each_load_and_fit_a_cost_per_request_and_per_partition(
      InfrastructureEndpoints endpoints, LocalParts parts) throws Exception {
    Optional<Long> store = parts.pid(Infrastructure.CASSANDRA);
    assumeTrue(store.isPresent(), "the CQL store is not a process these tests started (MESSENGER_CQL_CONTACT_POINTS)");
    long storePid = store.get();
    InfraSettings infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(),
        endpoints.cqlContactPoints(), endpoints.cqlLocalDatacenter());
    StringWriter printed = new StringWriter();
    Map<String, Object> report;
    String keyspace;
    try (CqlSession session = infra.connectCql()) {
      try (StoreRequestCost cost = new StoreRequestCost(session, List.of(storePid), "it", "{'class': "
          + "'SimpleStrategy', 'replication_factor': 1}", DefaultConsistencyLevel.ONE, 100)) {
        keyspace = cost.keyspace();
        assertThat(session.getMetadata().getKeyspace(keyspace)).as("it writes in a keyspace of its own").isPresent();
        report = cost.measure(List.of(new StoreRequestCost.Shape(200, 1), new StoreRequestCost.Shape(200, 4),
            new StoreRequestCost.Shape(1000, 1)), Duration.ofSeconds(1), Duration.ofSeconds(3),
            new PrintWriter(printed, true));
      }
      assertThat(session.checkSchemaAgreement()).isTrue();
      assertThat(session.getMetadata().getKeyspace(keyspace)).as("its keyspace is dropped").isEmpty();
    }

    List<Map<String, Object>> shapes = (List<Map<String, Object>>) report.get("shapes");
    assertThat(shapes).hasSize(3).allSatisfy(shape -> assertThat((double) shape.get("answered_per_s"))
        .isGreaterThan(0.9 * ((Number) shape.get("requests_per_s")).doubleValue()));
    double idle = (double) report.get("idle_cores");
    assertThat((double) shapes.get(2).get("store_cores")).as("1,000 writes a second against the store idle")
        .isGreaterThan(idle);
    Map<String, Object> fit = (Map<String, Object>) report.get("fit");
    assertThat(fit).containsKeys("fixed_cores", "us_per_request", "us_per_partition", "worst_residual_cores");
    assertThat((double) fit.get("us_per_request") + (double) fit.get("us_per_partition"))
        .as("a one-partition request costs the store something").isPositive();
    assertThat(printed.toString()).contains("store idle:").contains("fit: store cores =");
  }
}
