package dev.messenger.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the Cassandra JVM is launched: its classpath (recorded by messenger-cassandra-runtime) and JVM options. */
final class CassandraJvm {
  static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  private static final String CLASSPATH_RESOURCE = "cassandra.classpath";

  /**
   * The GC and module lines of Cassandra 5.0's conf/jvm17-server.options, plus java.nio for its GCInspector,
   * except for pauses: its 16 MB regions and 300 ms target suit large dedicated heaps, while here the store
   * shares a small machine with the services and each of its young collections stalls every write in flight.
   */
  private static final List<String> BASE_OPTIONS = List.of(
      "-Xss256k",
      "-XX:+UseG1GC",
      "-XX:+ParallelRefProcEnabled",
      "-XX:MaxTenuringThreshold=1",
      "-XX:G1RSetUpdatingPauseTimePercent=5",
      "-XX:MaxGCPauseMillis=20",
      "-XX:InitiatingHeapOccupancyPercent=70",
      "-XX:+PerfDisableSharedMem",
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.net.preferIPv4Stack=true",
      "-Djdk.attach.allowAttachSelf=true",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "-Dio.netty.tryReflectionSetAccessible=true");

  /**
   * Startup and shutdown shortcuts that are safe for one local node: no wait for gossip to settle (there are no
   * peers), no shutdown announcement delay and a cheap memtable overhead estimate. Not {@code unsafesystem}:
   * without the flush of the schema tables after each schema change, a node killed with -9 came back without
   * the schema (it is loaded before the commit log is replayed) and skipped every logged write to the tables
   * as "unknown", losing all data since the last flush (found by {@code loadgen chaos}'s cassandra:kill).
   */
  private static final List<String> LOCAL_NODE_OPTIONS = List.of(
      "-Dcassandra.skip_wait_for_gossip_to_settle=0",
      "-Dcassandra.shutdown_announce_in_ms=0",
      "-Dcassandra.memtable_row_overhead_computation_step=100");

  /**
   * With authentication on, Cassandra creates its default superuser only after this delay (10 s by default);
   * the launcher waits for it to create the services' role.
   */
  static final String SUPERUSER_SETUP_DELAY = "-Dcassandra.superuser_setup_delay_ms=500";

  /**
   * Cassandra's shared request pool keeps a worker that ran out of work polling for more, parking 10 µs to
   * 1 ms at a time for up to a few milliseconds after each burst of requests; each poll is a timer interrupt.
   * At 100 msg/s on the 2-core machine those polls were most of the store's CPU, a few milliseconds per
   * request. With a 1 ms slack the kernel serves them in far fewer wake-ups; requests still wake a worker at
   * once (docs/measurements.md, session 19).
   */
  static final java.time.Duration TIMER_SLACK = java.time.Duration.ofMillis(1);

  private CassandraJvm() {}

  static List<String> options(String heap, Path configFile, Path storageDirectory, Path logbackFile) {
    List<String> options = new ArrayList<>(BASE_OPTIONS);
    options.addAll(LOCAL_NODE_OPTIONS);
    options.add("-Xms" + heap);
    options.add("-Xmx" + heap);
    options.add("-Dcassandra-foreground=yes");
    options.add("-Dcassandra.config=" + configFile.toUri());
    options.add("-Dcassandra.storagedir=" + storageDirectory);
    options.add("-Dlogback.configurationFile=" + logbackFile);
    // Every pause, with its date, so that a latency tail can be matched with the store's collections.
    options.add("-Xlog:gc:file=" + storageDirectory.resolve("gc.log") + ":time");
    return options;
  }

  /** Cassandra's classpath, checked to exist on this machine. */
  static String classpath() {
    String classpath;
    try (InputStream in = CassandraJvm.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw missingRuntime("the resource dev/messenger/launcher/" + CLASSPATH_RESOURCE + " is not on the classpath");
      }
      classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String first = classpath.split(":", 2)[0];
    if (classpath.isEmpty() || !Files.isRegularFile(Path.of(first))) {
      throw missingRuntime(first + " does not exist");
    }
    return classpath;
  }

  static String logbackConfig() {
    try (InputStream in = CassandraJvm.class.getResourceAsStream("cassandra-logback.xml")) {
      if (in == null) {
        throw new IllegalStateException("cassandra-logback.xml is missing from the launcher jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InfrastructureException missingRuntime(String detail) {
    return new InfrastructureException(
        "Cassandra is not available (" + detail + "): build it with"
            + " 'mvn -pl launcher -am install -DskipTests' (or point "
            + EnvironmentVariables.CQL_CONTACT_POINTS + " at a running ScyllaDB or Cassandra)");
  }
}
