package dev.messenger.stack;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code ./messenger up} was asked for: the repository root, then optionally --base-port=7000,
 * --run-dir=DIR, --sessions=N, --routers=N, --cluster, --auth and --tls. Anything else is an error, not ignored.
 */
record StackOptions(Path root, int basePort, Path runDir, Optional<Integer> sessions, Optional<Integer> routers,
    boolean cluster, boolean auth, boolean tls) {
  static final int MAX_SESSIONS = 9;
  static final int MAX_ROUTERS = 9;

  static StackOptions parse(String[] args) {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    int basePort = 7000;
    Path runDir = root.resolve(".messenger").resolve("run");
    Optional<Integer> sessions = Optional.empty();
    Optional<Integer> routers = Optional.empty();
    boolean cluster = false;
    boolean auth = false;
    boolean tls = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.startsWith("--base-port=")) {
        basePort = number(arg, "--base-port=", 1024, 65535 - 3000);
      } else if (arg.startsWith("--run-dir=")) {
        runDir = Path.of(arg.substring("--run-dir=".length())).toAbsolutePath();
      } else if (arg.startsWith("--sessions=")) {
        sessions = Optional.of(number(arg, "--sessions=", 1, MAX_SESSIONS));
      } else if (arg.startsWith("--routers=")) {
        routers = Optional.of(number(arg, "--routers=", 1, MAX_ROUTERS));
      } else if (arg.equals("--cluster")) {
        cluster = true;
      } else if (arg.equals("--auth")) {
        auth = true;
      } else if (arg.equals("--tls")) {
        tls = true;
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return new StackOptions(root, basePort, runDir, sessions, routers, cluster, auth, tls);
  }

  /** Two session servers in cluster mode, else one, unless told. */
  int sessionCount() {
    return sessions.orElse(cluster ? 2 : 1);
  }

  /** Two routers in cluster mode, else one, unless told. */
  int routerCount() {
    return routers.orElse(cluster ? 2 : 1);
  }

  private static int number(String arg, String prefix, int min, int max) {
    String name = prefix.substring(0, prefix.length() - 1);
    int value;
    try {
      value = Integer.parseInt(arg.substring(prefix.length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number: " + arg);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + arg);
    }
    return value;
  }
}
