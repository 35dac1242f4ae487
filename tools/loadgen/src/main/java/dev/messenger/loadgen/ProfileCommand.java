package dev.messenger.loadgen;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen profile}: where a JVM spent its CPU during a run, from a JFR recording (e.g. of a session
 * server or router, taken with {@code jcmd <pid> JFR.start settings=profile}): execution samples by part of
 * the path (our code, gRPC, Netty, NATS client, CQL driver, JDK) and the hottest methods, inclusive.
 */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = "Summarise a JFR recording: CPU samples by part of the path and the hottest methods.")
final class ProfileCommand implements Callable<Integer> {
  private static final Map<String, String> PARTS = new LinkedHashMap<>();

  static {
    PARTS.put("dev.messenger.", "messenger code");
    PARTS.put("io.grpc.", "gRPC");
    PARTS.put("io.netty.", "Netty");
    PARTS.put("io.nats.", "NATS client");
    PARTS.put("com.datastax.", "CQL driver");
    PARTS.put("io.etcd.", "etcd client");
    PARTS.put("io.vertx.", "etcd client");
    PARTS.put("com.google.protobuf.", "protobuf");
    PARTS.put("com.auth0.", "JWT");
    PARTS.put("io.prometheus.", "metrics");
    PARTS.put("ch.qos.logback.", "logging");
    PARTS.put("org.apache.cassandra.", "Cassandra");
  }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A .jfr recording.")
  Path file;

  @Option(names = "--top", defaultValue = "25", description = "Methods to list. Default: ${DEFAULT-VALUE}.")
  int top;

  @Override
  public Integer call() throws IOException {
    Map<String, Integer> byPart = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      byPart.merge(part(frames), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        if (seen.add(name(frame))) {
          inclusive.merge(name(frame), 1, Integer::sum);
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: %,d CPU samples%n%nby part of the path (the innermost non-JDK frame decides):%n", file, samples);
    print(out, byPart, samples, 20);
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> libraries = new HashMap<>();
    inclusive.forEach((method, count) -> {
      if (method.startsWith("dev.messenger.")) {
        ours.put(method, count);
      } else if (!method.startsWith("java.") && !method.startsWith("jdk.") && !method.startsWith("sun.")
          && !method.startsWith("io.netty.util.concurrent.") && !method.startsWith("io.netty.channel.nio.")
          && !method.startsWith("io.netty.util.internal.")) {
        libraries.put(method, count);
      }
    });
    out.printf("%nour methods, inclusive (share of samples with the method on the stack):%n");
    print(out, ours, samples, top);
    out.printf("%nlibrary methods, inclusive (event-loop plumbing left out):%n");
    print(out, libraries, samples, top);
    out.printf("%nhottest methods, self:%n");
    print(out, self, samples, top);
    return 0;
  }

  private static void print(PrintWriter out, Map<String, Integer> counts, int total, int limit) {
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(limit)
        .forEach(e -> out.printf("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
  }

  private static String name(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  /** The part of the first frame from the top that is not JDK code; "JDK" when all are. */
  private static String part(List<RecordedFrame> frames) {
    for (RecordedFrame frame : frames) {
      String type = frame.getMethod().getType().getName();
      for (Map.Entry<String, String> part : PARTS.entrySet()) {
        if (type.startsWith(part.getKey())) {
          return part.getValue();
        }
      }
      if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
        return "other: " + type.substring(0, Math.max(0, type.lastIndexOf('.')));
      }
    }
    return "JDK only (threads, GC-free parking, I/O)";
  }
}
