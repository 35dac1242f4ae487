package dev.messenger.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A cgroup (version 2) of the stack's own that one process is moved into for a while, so that iptables can
 * match what it sends ({@code -m cgroup --path}), and moved out of again. Needs root and a mounted cgroup2
 * hierarchy (on Debian at /sys/fs/cgroup, or /sys/fs/cgroup/unified beside version 1).
 */
final class ProcessCgroup {
  private final Path root;
  private final String name;

  private ProcessCgroup(Path root, String name) {
    this.root = root;
    this.name = name;
  }

  /**
   * The cgroup {@code name} below the cgroup2 root of this machine, created if missing.
   *
   * @throws IptablesException if there is no cgroup2 hierarchy or the group cannot be made
   */
  static ProcessCgroup create(String name) {
    Path root = cgroup2Root().orElseThrow(() -> new IptablesException("no cgroup2 hierarchy is mounted"));
    try {
      Files.createDirectories(root.resolve(name));
    } catch (IOException e) {
      throw new IptablesException("cannot create cgroup " + root.resolve(name) + ": " + e.getMessage());
    }
    return new ProcessCgroup(root, name);
  }

  /** Where the first cgroup2 file system of /proc/mounts is mounted. */
  static Optional<Path> cgroup2Root() {
    try {
      return Files.readAllLines(Path.of("/proc/mounts"), StandardCharsets.UTF_8).stream()
          .map(line -> line.split(" "))
          .filter(fields -> fields.length > 2 && fields[2].equals("cgroup2"))
          .map(fields -> Path.of(fields[1]))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The group's path relative to the cgroup2 root, as iptables' cgroup match takes it. */
  String path() {
    return name;
  }

  /** Moves the process in; returns the group it was in, relative to the root, for {@link #leave}. */
  String enter(long pid) {
    String previous = groupOf(pid);
    move(root.resolve(name), pid);
    return previous;
  }

  /** Moves the process back to {@code previous}; a process that has exited meanwhile is not an error. */
  void leave(long pid, String previous) {
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      move(root.resolve(previous), pid);
    }
  }

  /** The process's group in the cgroup2 hierarchy ("0::/a/b" in /proc/PID/cgroup gives "a/b"). */
  static String groupOf(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"), StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith("0::/"))
          .map(line -> line.substring("0::/".length()))
          .findFirst()
          .orElseThrow(() -> new IptablesException("process " + pid + " is in no cgroup2 group"));
    } catch (IOException e) {
      throw new IptablesException("cannot read the cgroup of process " + pid + ": " + e.getMessage());
    }
  }

  /** Removes the group once it is empty. */
  void remove() {
    try {
      Files.deleteIfExists(root.resolve(name));
    } catch (IOException e) {
      throw new IptablesException("cannot remove cgroup " + root.resolve(name) + ": " + e.getMessage());
    }
  }

  private static void move(Path group, long pid) {
    try {
      Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IptablesException("cannot move process " + pid + " into " + group + ": " + e.getMessage());
    }
  }
}
