package dev.messenger.loadgen.baseline;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.messenger.loadgen.run.ProcessTicks;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the CQL store's CPU costs per request and per partition written, on this machine: fixed rates of
 * requests that each write one partition (a plain insert) or several (an unlogged batch), the store's CPU over
 * each (from its process), and the least-squares fit of both costs ({@link RequestCostFit}). It tells whether
 * writing fewer rows or sending fewer requests would lower the write path's cost. Works in its own keyspace,
 * dropped at the end.
 */
public final class StoreRequestCost implements AutoCloseable {
  private final CqlSession session;
  private final List<Long> storePids;
  private final String replication;
  private final String keyspace;
  private final ConsistencyLevel consistency;
  private final String body;
  private final AtomicLong sequence = new AtomicLong();
  private final PreparedStatement insert;

  /** A load: requests per second, each writing {@code partitions} partitions of one row. */
  public record Shape(int requestsPerSecond, int partitions) {
    public Shape {
      if (requestsPerSecond < 1 || partitions < 1) {
        throw new IllegalArgumentException("a shape needs at least 1 request/s and 1 partition each, not "
            + requestsPerSecond + "x" + partitions);
      }
    }

    /**
     * Refuses shapes from which the two costs cannot be told apart: they need two request rates or more, two
     * partition counts or more, and more than one ratio of partitions to requests.
     */
    public static void requireTellingApart(List<Shape> shapes) {
      long rates = shapes.stream().map(Shape::requestsPerSecond).distinct().count();
      long counts = shapes.stream().map(Shape::partitions).distinct().count();
      if (rates < 2 || counts < 2) {
        throw new IllegalArgumentException("shapes " + shapes + " cannot tell a request's cost from a partition's: "
            + "give two request rates or more and two partition counts or more, like the default");
      }
    }

    @Override
    public String toString() {
      return requestsPerSecond + "x" + partitions;
    }

    /** "800x4": 800 requests a second of 4 partitions each. */
    public static Shape parse(String text) {
      String[] parts = text.trim().split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a shape is REQUESTSxPARTITIONS, like 800x4, not '" + text + "'");
      }
      return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
  }

  /**
   * {@code storePids}: the store's processes on this machine (a cluster's nodes, when it runs here), whose CPU it
   * reads and adds up.
   */
  public StoreRequestCost(CqlSession session, List<Long> storePids, String runId, String replication,
      ConsistencyLevel consistency, int bodyBytes) {
    this.session = session;
    requireDistinct(storePids);
    this.storePids = List.copyOf(storePids);
    this.replication = replication;
    this.keyspace = "loadgen_cql_cost_" + runId;
    this.consistency = consistency;
    this.body = "x".repeat(bodyBytes);
    ddl("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication);
    ddl("CREATE TABLE IF NOT EXISTS " + keyspace + ".rows (partition_id text, seq bigint, body text, "
        + "PRIMARY KEY (partition_id, seq))");
    this.insert = session.prepare("INSERT INTO " + keyspace + ".rows (partition_id, seq, body) VALUES (?, ?, ?)");
  }

  /** Refuses no store process, or one given twice (its CPU would count twice). */
  public static void requireDistinct(List<Long> storePids) {
    if (storePids.isEmpty()) {
      throw new IllegalArgumentException("no store process to read the CPU of");
    }
    if (storePids.stream().distinct().count() < storePids.size()) {
      throw new IllegalArgumentException("store process given twice: " + storePids);
    }
  }

  /** The keyspace it writes to, dropped on {@link #close}. */
  public String keyspace() {
    return keyspace;
  }

  /** The store idle, then each shape after its warm-up; the points and the fit, printed as they come. */
  public Map<String, Object> measure(List<Shape> shapes, Duration warmup, Duration duration, PrintWriter terminal)
      throws InterruptedException {
    Shape.requireTellingApart(shapes);
    List<RequestCostFit.Point> points = new ArrayList<>();
    List<Map<String, Object>> measured = new ArrayList<>();
    long idleFrom = storeTicks();
    long idleStart = System.nanoTime();
    Thread.sleep(duration.toMillis());
    double idle = cores(idleFrom, seconds(idleStart));
    points.add(new RequestCostFit.Point(0, 0, idle));
    terminal.printf(Locale.ROOT, "store idle: %.3f cores%n", idle);
    for (Shape shape : shapes) {
      OpenLoop.run(shape.requestsPerSecond(), warmup, at -> write(shape.partitions()));
      long from = storeTicks();
      long start = System.nanoTime();
      OpenLoop.Result result = OpenLoop.run(shape.requestsPerSecond(), duration, at -> write(shape.partitions()));
      double seconds = seconds(start); // the same window for the CPU and the answers, drain and lag included
      double cores = cores(from, seconds);
      double answered = (result.fired() - result.failed()) / seconds;
      points.add(new RequestCostFit.Point(answered, answered * shape.partitions(), cores));
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("requests_per_s", shape.requestsPerSecond());
      point.put("partitions_per_request", shape.partitions());
      point.put("answered_per_s", answered);
      point.put("failed", result.failed());
      point.put("store_cores", cores);
      measured.add(point);
      terminal.printf(Locale.ROOT, "%,6d requests/s x %2d partitions: %,.0f answered/s, %d failed, store %.3f cores%n",
          shape.requestsPerSecond(), shape.partitions(), answered, result.failed(), cores);
    }
    RequestCostFit fit = RequestCostFit.of(points);
    terminal.printf(Locale.ROOT, "fit: store cores = %.3f + %.0f +/- %.0f us x requests/s + %.0f +/- %.0f us x "
        + "partitions/s (worst point off by %.3f cores)%n", fit.fixedCores(), fit.secondsPerRequest() * 1e6,
        fit.requestStandardError() * 1e6, fit.secondsPerPartition() * 1e6, fit.partitionStandardError() * 1e6,
        fit.worstResidualCores());
    Map<String, Object> fitted = new LinkedHashMap<>();
    fitted.put("fixed_cores", fit.fixedCores());
    fitted.put("us_per_request", fit.secondsPerRequest() * 1e6);
    fitted.put("us_per_request_standard_error", fit.requestStandardError() * 1e6);
    fitted.put("us_per_partition", fit.secondsPerPartition() * 1e6);
    fitted.put("us_per_partition_standard_error", fit.partitionStandardError() * 1e6);
    fitted.put("worst_residual_cores", fit.worstResidualCores());
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("kind", "cql_cost");
    report.put("store_processes", storePids.size());
    report.put("replication", replication);
    report.put("consistency", consistency.name());
    report.put("row_body_bytes", body.length());
    report.put("idle_cores", idle);
    report.put("shapes", measured);
    report.put("fit", fitted);
    return report;
  }

  private static double seconds(long fromNanos) {
    return (System.nanoTime() - fromNanos) / 1e9;
  }

  private double cores(long fromTicks, double seconds) {
    long ticks = storeTicks();
    if (fromTicks < 0 || ticks < 0) {
      throw new IllegalStateException("a store process's CPU cannot be read (is --store-pid right?)");
    }
    return (ticks - fromTicks) / ProcessTicks.PER_SECOND / seconds;
  }

  /** The store processes' ticks together, or -1 when one of them cannot be read. */
  private long storeTicks() {
    long sum = 0;
    for (long pid : storePids) {
      long ticks = ProcessTicks.of(pid);
      if (ticks < 0) {
        return -1;
      }
      sum += ticks;
    }
    return sum;
  }

  private CompletionStage<?> write(int partitions) {
    Statement<?> statement;
    if (partitions == 1) {
      statement = row();
    } else {
      BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
      for (int i = 0; i < partitions; i++) {
        batch.addStatement(row());
      }
      statement = batch.build();
    }
    return session.executeAsync(statement.setConsistencyLevel(consistency).setIdempotent(true));
  }

  private BoundStatement row() {
    long n = sequence.incrementAndGet();
    return insert.bind("p" + n, n, body);
  }

  private void ddl(String statement) {
    session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
  }

  @Override
  public void close() {
    ddl("DROP KEYSPACE IF EXISTS " + keyspace);
  }
}
