package dev.messenger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single Cassandra node in its own JVM, listening on 127.0.0.1 only; stands in for ScyllaDB. */
final class CassandraNode implements LocalServer {
  private static final Logger log = LoggerFactory.getLogger(CassandraNode.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private final ChildProcess process;
  private final InetSocketAddress contactPoint;

  private CassandraNode(ChildProcess process, InetSocketAddress contactPoint) {
    this.process = process;
    this.contactPoint = contactPoint;
  }

  static CassandraNode start(
      String classpath, Path directory, Path logFile, int storagePort, int nativePort, String heap,
      boolean authentication, Optional<LocalCertificates> tls, Duration timeout) {
    return start(classpath, directory, logFile, "cassandra", "127.0.0.1",
        CassandraYaml.render(directory, storagePort, nativePort, authentication), nativePort, heap, authentication,
        tls, timeout);
  }

  /** Node {@code index} of a local cluster of {@code tokens.length}, on {@link #memberAddress}. */
  static CassandraNode startMember(
      String classpath, Path directory, Path logFile, int index, long[] tokens, int storagePort, int nativePort,
      String heap, boolean authentication, Optional<LocalCertificates> tls, Duration timeout) {
    String address = memberAddress(index);
    StringBuilder seeds = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      seeds.append(i == 0 ? "" : ",").append(memberAddress(i)).append(':').append(storagePort);
    }
    return start(classpath, directory, logFile, "cassandra-" + (index + 1), address,
        CassandraYaml.renderMember(directory, address, seeds.toString(), storagePort, nativePort, tokens[index],
            authentication),
        nativePort, heap, authentication, tls, timeout);
  }

  /** The server's key and then its certificate chain, in one file readable by its owner only. */
  private static Path writeKeyAndChain(LocalCertificates certificates, Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, Files.readString(certificates.serverKey())
        + Files.readString(certificates.serverCertificateChain()));
    return file;
  }

  /** 127.0.0.31 and on: never 127.0.0.1, which every local process uses, so that any node can be cut off. */
  static String memberAddress(int index) {
    return "127.0.0." + (31 + index);
  }

  private static CassandraNode start(String classpath, Path directory, Path logFile, String name, String address,
      String yaml, int nativePort, String heap, boolean authentication, Optional<LocalCertificates> tls,
      Duration timeout) {
    int javaVersion = Runtime.version().feature();
    if (javaVersion != 11 && javaVersion != 17) {
      log.warn("Cassandra 5.0 runs on Java 11 or 17; this is Java {} and it may not start", javaVersion);
    }
    Path configFile = directory.resolve("cassandra.yaml");
    Path logbackFile = directory.resolve("logback.xml");
    try {
      Files.createDirectories(directory);
      Files.writeString(configFile, yaml + (tls.isPresent() ? CassandraYaml.clientEncryption(
          writeKeyAndChain(tls.get(), directory.resolve("native-transport.pem"))) : ""));
      Files.writeString(logbackFile, CassandraJvm.logbackConfig());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the Cassandra configuration in " + directory, e);
    }
    ChildProcess process = JavaProcess.builder(CassandraJvm.MAIN_CLASS)
        .name(name)
        .classpath(classpath)
        .jvmOptions(CassandraJvm.options(heap, configFile, directory, logbackFile))
        .jvmOptions(authentication ? List.of(CassandraJvm.SUPERUSER_SETUP_DELAY) : List.of())
        .timerSlack(CassandraJvm.TIMER_SLACK)
        .logFile(logFile)
        .stopGrace(STOP_GRACE)
        .start();
    InetSocketAddress contactPoint = new InetSocketAddress(address, nativePort);
    Readiness.await(process, timeout, Readiness.acceptsConnections(contactPoint));
    return new CassandraNode(process, contactPoint);
  }

  @Override
  public String address() {
    return contactPoint.getAddress().getHostAddress();
  }

  InetSocketAddress contactPoint() {
    return contactPoint;
  }

  @Override
  public ChildProcess process() {
    return process;
  }

  @Override
  public Duration stopGrace() {
    return STOP_GRACE;
  }
}
