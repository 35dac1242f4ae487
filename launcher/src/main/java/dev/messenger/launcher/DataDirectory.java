package dev.messenger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base directory of local data and logs: a given one (kept) or a fresh temporary one (deleted on close).
 *
 * <p>A temporary directory records the pid of its JVM; temporary directories left behind by JVMs that were killed are
 * deleted the next time one is created.
 */
final class DataDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  private static final String TEMPORARY_PREFIX = "messenger-infra-";
  private static final String OWNER_FILE = "owner.pid";

  private final Path path;
  private final boolean temporary;

  private DataDirectory(Path path, boolean temporary) {
    this.path = path;
    this.temporary = temporary;
  }

  static DataDirectory open(Optional<Path> configured) {
    try {
      if (configured.isPresent()) {
        return new DataDirectory(Files.createDirectories(configured.get().toAbsolutePath()), false);
      }
      Path temporary = Files.createTempDirectory(TEMPORARY_PREFIX);
      Files.writeString(temporary.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      deleteAbandoned(temporary.getParent());
      return new DataDirectory(temporary, true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create the infrastructure data directory", e);
    }
  }

  Path path() {
    return path;
  }

  Path resolve(String child) {
    return path.resolve(child);
  }

  Path logFile(String component) {
    return path.resolve("logs").resolve(component + ".log");
  }

  @Override
  public void close() {
    if (temporary) {
      deleteRecursively(path);
    }
  }

  /** Deletes temporary directories whose owning JVM is gone. */
  static void deleteAbandoned(Path parent) {
    try (Stream<Path> candidates = Files.list(parent)) {
      candidates
          .filter(candidate -> candidate.getFileName().toString().startsWith(TEMPORARY_PREFIX))
          .filter(DataDirectory::isAbandoned)
          .forEach(abandoned -> {
            log.info("deleting {} left behind by a JVM that is gone", abandoned);
            deleteRecursively(abandoned);
          });
    } catch (IOException | UncheckedIOException e) {
      log.debug("could not look for abandoned data directories in {}", parent, e);
    }
  }

  private static boolean isAbandoned(Path directory) {
    try {
      long owner = Long.parseLong(Files.readString(directory.resolve(OWNER_FILE)).strip());
      return ProcessHandle.of(owner).isEmpty();
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(DataDirectory::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not delete {}: {}", root, e.getMessage());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", path, e.getMessage());
    }
  }
}
