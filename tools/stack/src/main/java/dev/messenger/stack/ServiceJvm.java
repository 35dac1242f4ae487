package dev.messenger.stack;

import java.nio.file.Path;
import java.util.List;

/** How the local stack runs each service's JVM. */
final class ServiceJvm {
  private ServiceJvm() {}

  /**
   * A fixed heap (no resizing while load arrives) and a short pause target: on a small machine shared with the
   * store, a young collection that G1 sizes for its default 200 ms target stalls every message in flight for
   * tens of milliseconds, which is the whole latency tail. Every pause is logged with its date.
   */
  static List<String> options(Path gcLog) {
    return List.of("-Xms512m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
        "-Xlog:gc:file=" + gcLog + ":time");
  }
}
