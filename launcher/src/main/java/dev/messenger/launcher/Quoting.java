package dev.messenger.launcher;

/** Quoting of strings in generated configuration files and shell output. */
final class Quoting {
  private Quoting() {}

  /** A double-quoted string as YAML and the NATS configuration format read it. */
  static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** A single-quoted POSIX shell word. */
  static String shellWord(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
