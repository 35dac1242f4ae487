package dev.messenger.loadgen.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One fault of the suite: a service of the local stack, or a part of its infrastructure ({@code etcd},
 * {@code nats}, {@code cassandra}; in a cluster one member such as {@code nats-2}, or all of them at once as
 * {@code nats}), killed (kill -9, then started again on the same port and data), stopped
 * (SIGTERM, its own shutdown, then started again), paused (SIGSTOP for a while, then SIGCONT), cut
 * off from etcd for a while while it keeps NATS and the store, or (a store node of a local cluster with an address
 * of its own, {@code cassandra-2}) cut off from clients and peers alike while it runs on. Written
 * {@code service:kill}, {@code service:term}, {@code service:pause=SECONDS}, {@code service:etcd-cut=SECONDS}
 * or {@code node:cut=SECONDS}; {@code pause} is how long a pause or a cut lasts.
 */
public record Fault(String service, Kind kind, Duration pause) {
  /** What is done to the process. */
  public enum Kind { KILL, TERM, PAUSE, ETCD_CUT, NODE_CUT }

  /** One fault of each kind the local stack can inject, for {@code --quick}. */
  public static final List<Fault> QUICK = List.of(
      parse("session:kill"), parse("router:kill"), parse("history:kill"), parse("presence:kill"),
      parse("push:kill"), parse("router:pause=12"), parse("router:etcd-cut=15"), parse("session:term"),
      parse("nats:kill"), parse("etcd:kill"), parse("cassandra:kill"));

  public static Fault parse(String text) {
    String[] parts = text.trim().split(":", 2);
    if (parts.length != 2 || parts[0].isBlank()) {
      throw new IllegalArgumentException("a fault is service:kill, service:term or service:pause=SECONDS, not "
          + text);
    }
    String action = parts[1].toLowerCase(Locale.ROOT);
    if (action.equals("kill")) {
      return new Fault(parts[0], Kind.KILL, Duration.ZERO);
    }
    if (action.equals("term")) {
      return new Fault(parts[0], Kind.TERM, Duration.ZERO);
    }
    if (action.startsWith("pause=")) {
      return new Fault(parts[0], Kind.PAUSE, seconds(action.substring("pause=".length()), text));
    }
    if (action.startsWith("etcd-cut=")) {
      return new Fault(parts[0], Kind.ETCD_CUT, seconds(action.substring("etcd-cut=".length()), text));
    }
    if (action.startsWith("cut=")) {
      return new Fault(parts[0], Kind.NODE_CUT, seconds(action.substring("cut=".length()), text));
    }
    throw new IllegalArgumentException("unknown fault action in " + text
        + ": kill, term, pause=SECONDS, etcd-cut=SECONDS or cut=SECONDS");
  }

  private static Duration seconds(String value, String text) {
    long seconds;
    try {
      seconds = Long.parseLong(value);
    } catch (NumberFormatException e) {
      seconds = 0;
    }
    if (seconds < 1 || seconds > 120) {
      throw new IllegalArgumentException("a pause or cut lasts 1 to 120 seconds: " + text);
    }
    return Duration.ofSeconds(seconds);
  }

  /** As written on the command line. */
  public String label() {
    return service + ":" + switch (kind) {
      case PAUSE -> "pause=" + pause.toSeconds();
      case ETCD_CUT -> "etcd-cut=" + pause.toSeconds();
      case NODE_CUT -> "cut=" + pause.toSeconds();
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }
}
