package dev.messenger.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds programs on PATH and in the usual system directories. */
final class Executables {
  private static final List<String> SYSTEM_DIRECTORIES =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Executables() {}

  /** The program, or an error telling how to install it or which variable points at a running server instead. */
  static Path require(String program, String debianPackage, String variable) {
    return require(program, debianPackage, variable, searchPath(System.getenv("PATH")));
  }

  static Path require(String program, String debianPackage, String variable, List<Path> directories) {
    return find(program, directories)
        .orElseThrow(() -> new InfrastructureException(
            program + " not found: install it with 'apt-get install -y " + debianPackage + "' (or point "
                + variable + " at a running server)"));
  }

  static Optional<Path> find(String program, List<Path> directories) {
    return directories.stream()
        .map(directory -> directory.resolve(program))
        .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
        .findFirst();
  }

  static List<Path> searchPath(String path) {
    List<Path> directories = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          directories.add(Path.of(entry));
        }
      }
    }
    SYSTEM_DIRECTORIES.forEach(directory -> directories.add(Path.of(directory)));
    return directories;
  }
}
