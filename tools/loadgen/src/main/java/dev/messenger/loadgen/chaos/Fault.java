package dev.messenger.loadgen.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One fault of the suite: a service of the local stack killed (kill -9, then started again), stopped
 * (SIGTERM, its own shutdown, then started again) or paused (SIGSTOP for a while, then SIGCONT).
 * Written {@code service:kill}, {@code service:term} or {@code service:pause=SECONDS}.
 */
public record Fault(String service, Kind kind, Duration pause) {
  /** What is done to the process. */
  public enum Kind { KILL, TERM, PAUSE }

  /** One fault of each kind the local stack can inject, for {@code --quick}. */
  public static final List<Fault> QUICK = List.of(
      parse("session:kill"), parse("router:kill"), parse("history:kill"), parse("presence:kill"),
      parse("push:kill"), parse("router:pause=12"), parse("session:term"));

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
      long seconds;
      try {
        seconds = Long.parseLong(action.substring("pause=".length()));
      } catch (NumberFormatException e) {
        seconds = 0;
      }
      if (seconds < 1 || seconds > 120) {
        throw new IllegalArgumentException("a pause lasts 1 to 120 seconds: " + text);
      }
      return new Fault(parts[0], Kind.PAUSE, Duration.ofSeconds(seconds));
    }
    throw new IllegalArgumentException("unknown fault action in " + text + ": kill, term or pause=SECONDS");
  }

  /** As written on the command line. */
  public String label() {
    return service + ":" + (kind == Kind.PAUSE ? "pause=" + pause.toSeconds() : kind.name().toLowerCase(Locale.ROOT));
  }
}
