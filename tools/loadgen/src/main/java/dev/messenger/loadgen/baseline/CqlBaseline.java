package dev.messenger.loadgen.baseline;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * The CQL store alone, with the ScyllaDB driver, on tables shaped like ours (a member's message copy in
 * {@code user_messages}, a commit row in {@code conversation_log}): plain inserts per second with many in
 * flight, conditional (LWT, {@code IF NOT EXISTS}) inserts per second, and the latency of each at a fixed
 * rate. Writes at the consistency our services use. Works in its own keyspace, dropped at the end.
 */
final class CqlBaseline implements AutoCloseable {
  private static final int PARTITIONS = 10_000;

  private final CqlSession session;
  private final BaselineSettings settings;
  private final String keyspace;
  private final ConsistencyLevel consistency;
  private final String body;
  private final AtomicLong sequence = new AtomicLong();
  private PreparedStatement insertCopy;
  private PreparedStatement insertCommit;

  CqlBaseline(CqlSession session, BaselineSettings settings, String runId, String replication,
      ConsistencyLevel consistency) {
    this.session = session;
    this.settings = settings;
    this.keyspace = "loadgen_baseline_" + runId;
    this.consistency = consistency;
    this.body = "x".repeat(settings.messageBytes());
    ddl("CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + replication);
  }

  private static String messageColumns() {
    return "message_id text, sender_user_id text, sender_device_id text, client_message_id text, body text, "
        + "server_time_ms bigint, kind int, ";
  }

  private void prepare() {
    if (insertCopy != null) {
      return;
    }
    ddl("CREATE TABLE IF NOT EXISTS " + keyspace + ".user_messages (user_id text, conversation_id text, "
        + "bucket bigint, seq bigint, " + messageColumns()
        + "PRIMARY KEY ((user_id, conversation_id, bucket), seq)) WITH CLUSTERING ORDER BY (seq ASC)");
    ddl("CREATE TABLE IF NOT EXISTS " + keyspace + ".conversation_log (conversation_id text, bucket bigint, "
        + "seq bigint, " + messageColumns() + "PRIMARY KEY ((conversation_id, bucket), seq))");
    String values = "message_id, sender_user_id, sender_device_id, client_message_id, body, server_time_ms, kind";
    insertCopy = session.prepare("INSERT INTO " + keyspace + ".user_messages (user_id, conversation_id, bucket, "
        + "seq, " + values + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insertCommit = session.prepare("INSERT INTO " + keyspace + ".conversation_log (conversation_id, bucket, seq, "
        + values + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
  }

  /** Plain inserts of message copies. */
  Map<String, Object> inserts() throws InterruptedException {
    prepare();
    return measure("plain INSERT of a user_messages row (a member's copy of a message)", this::insertCopy,
        settings.latencyRate());
  }

  /** Conditional inserts of commit rows, one new row each (no contention, like a commit). */
  Map<String, Object> conditionalInserts() throws InterruptedException {
    prepare();
    return measure("INSERT ... IF NOT EXISTS of a conversation_log row (the commit, a Paxos round)",
        this::insertCommit, settings.lwtLatencyRate());
  }

  private Map<String, Object> measure(String what, LongFunction<CompletionStage<?>> insert, double latencyRate)
      throws InterruptedException {
    throughput(insert, settings.warmup());
    double[] rate = throughput(insert, settings.duration());
    OpenLoop.run(latencyRate, settings.warmup(), insert);
    OpenLoop.Result latency = OpenLoop.run(latencyRate, settings.duration(), insert);
    return new PartReport()
        .scenario("what", what)
        .scenario("consistency", consistency.name())
        .scenario("in_flight", settings.concurrency())
        .scenario("partitions", PARTITIONS)
        .scenario("latency_rate_per_s", latencyRate)
        .throughput("rows_per_s", rate[0])
        .latency("insert", latency.micros())
        .error("failed", (long) rate[1] + latency.failed())
        .toMap();
  }

  /** Inserts with {@code concurrency} in flight for {@code duration}; returns {rows/s, failures}. */
  private double[] throughput(LongFunction<CompletionStage<?>> insert, Duration duration) throws InterruptedException {
    Semaphore inFlight = new Semaphore(settings.concurrency());
    LongAdder done = new LongAdder();
    LongAdder failed = new LongAdder();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    while (System.nanoTime() < end) {
      inFlight.acquire();
      insert.apply(0).whenComplete((ignored, error) -> {
        if (error == null) {
          done.increment();
        } else {
          failed.increment();
        }
        inFlight.release();
      });
    }
    long elapsed = System.nanoTime() - start;
    long counted = done.sum();
    inFlight.acquire(settings.concurrency());
    return new double[] {counted / (elapsed / 1e9), failed.sum()};
  }

  private CompletionStage<?> insertCopy(long ignored) {
    long n = sequence.incrementAndGet();
    String user = "u" + (n % PARTITIONS);
    return session.executeAsync(insertCopy.bind(user, "dm:" + user + ":peer", n / 1024, n, "m" + n, user, "d0",
        "c" + n, body, System.currentTimeMillis(), 1).setConsistencyLevel(consistency).setIdempotent(true));
  }

  private CompletionStage<?> insertCommit(long ignored) {
    long n = sequence.incrementAndGet();
    String conversation = "dm:u" + (n % PARTITIONS) + ":peer";
    return session.executeAsync(insertCommit.bind(conversation, n / 1024, n, "m" + n, "u", "d0", "c" + n, body,
        System.currentTimeMillis(), 1).setConsistencyLevel(consistency));
  }

  private void ddl(String statement) {
    session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
  }

  @Override
  public void close() {
    ddl("DROP KEYSPACE IF EXISTS " + keyspace);
  }
}
