package dev.messenger.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The runtime classpath of a runnable module of this repository, as its {@code mvn package} wrote it. */
public final class ModuleClasspath {
  /** System property naming the repository root; the system-tests module sets it for failsafe. */
  public static final String REPOSITORY_ROOT_PROPERTY = "messenger.repo.root";

  private ModuleClasspath() {}

  /** The repository root: the {@value #REPOSITORY_ROOT_PROPERTY} property, else the nearest parent holding launcher/. */
  public static Path repositoryRoot() {
    String configured = System.getProperty(REPOSITORY_ROOT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path candidate = Path.of("").toAbsolutePath(); candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("pom.xml")) && Files.isDirectory(candidate.resolve("launcher"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "cannot find the repository root from " + Path.of("").toAbsolutePath() + "; set -D" + REPOSITORY_ROOT_PROPERTY);
  }

  /**
   * {@code <module>/target/classes} followed by the entries of {@code <module>/target/runtime.classpath}.
   *
   * @param repositoryRoot the directory holding the parent pom.xml
   * @param module the module's directory relative to the root, e.g. {@code services/session}
   */
  public static String of(Path repositoryRoot, String module) {
    Path target = repositoryRoot.resolve(module).resolve("target");
    Path classes = target.resolve("classes");
    Path classpathFile = target.resolve("runtime.classpath");
    if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(classes)) {
      throw new IllegalStateException(
          classpathFile + " or " + classes + " is missing: build the module first with"
              + " 'mvn -pl " + module + " -am package -DskipTests'");
    }
    try {
      String dependencies = Files.readString(classpathFile).strip();
      return dependencies.isEmpty() ? classes.toString() : classes + File.pathSeparator + dependencies;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
