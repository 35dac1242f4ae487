package dev.messenger.systemtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.loadgen.baseline.StoreRequestCost;
import dev.messenger.testing.WithRealInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** `loadgen store-cost` against the real CQL store: it loads the store, reads its CPU and fits both costs. */
@WithRealInfrastructure
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StoreRequestCostIT {
  @Test
  @SuppressWarnings("unchecked")
  void should_measure_the_stores_cpu_under_each_load_and_fit_a_cost_per_request_and_per_partition(
      InfrastructureEndpoints endpoints) throws Exception {
    long storePid = pidListeningOn(endpoints.cqlContactPoints().get(0).getPort());
    InfraSettings infra = new InfraSettings(endpoints.etcdEndpoints(), endpoints.natsUrl(),
        endpoints.cqlContactPoints(), endpoints.cqlLocalDatacenter());
    StringWriter printed = new StringWriter();
    Map<String, Object> report;
    String keyspace;
    try (CqlSession session = infra.connectCql()) {
      try (StoreRequestCost cost = new StoreRequestCost(session, () -> ticks(storePid), "it", "{'class': "
          + "'SimpleStrategy', 'replication_factor': 1}", DefaultConsistencyLevel.ONE, 100)) {
        report = cost.measure(List.of(new StoreRequestCost.Shape(200, 1), new StoreRequestCost.Shape(200, 4),
            new StoreRequestCost.Shape(1000, 1)), Duration.ofSeconds(1), Duration.ofSeconds(3),
            new PrintWriter(printed, true));
      }
      keyspace = "loadgen_store_cost_it";
      assertThat(session.getMetadata().getKeyspace(keyspace)).as("its keyspace is dropped").isEmpty();
    }

    List<Map<String, Object>> shapes = (List<Map<String, Object>>) report.get("shapes");
    assertThat(shapes).hasSize(3).allSatisfy(shape -> assertThat((double) shape.get("answered_per_s"))
        .isGreaterThan(0.9 * ((Number) shape.get("requests_per_s")).doubleValue()));
    double idle = (double) report.get("idle_cores");
    assertThat((double) shapes.get(2).get("store_cores")).as("1,000 writes a second against the store idle")
        .isGreaterThan(idle);
    Map<String, Object> fit = (Map<String, Object>) report.get("fit");
    assertThat(fit).containsKeys("idle_cores", "us_per_request", "us_per_partition", "worst_residual_cores");
    assertThat(printed.toString()).contains("store idle:").contains("fit: store cores =");
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static long pidListeningOn(int port) throws Exception {
    Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes());
    ss.waitFor();
    java.util.regex.Matcher pid = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(out);
    assertThat(pid.find()).as("the store's process listening on %d: %s", port, out).isTrue();
    return Long.parseLong(pid.group(1));
  }
}
