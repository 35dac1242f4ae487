package dev.messenger.common.server;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.config.KnownSettings;
import dev.messenger.common.config.Settings;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The certificate a gRPC server presents when it serves TLS only: MESSENGER_TLS_CERT_FILE (a PEM certificate
 * chain, the server's own first) with MESSENGER_TLS_KEY_FILE (its PEM private key, PKCS#8). Both files are
 * read and parsed when the settings are, so a service with a bad one refuses to start and names it.
 */
public final class ServerTls {
  static final String CERT_FILE = "tls-cert-file";
  static final String KEY_FILE = "tls-key-file";

  private final Path certificateChain;
  private final SslContext sslContext;

  private ServerTls(Path certificateChain, SslContext sslContext) {
    this.certificateChain = certificateChain;
    this.sslContext = sslContext;
  }

  /** TLS from the two settings; empty (plaintext) when neither is set, an error when only one is. */
  public static Optional<ServerTls> from(Settings settings) {
    Optional<String> cert = settings.get(CERT_FILE);
    Optional<String> key = settings.get(KEY_FILE);
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException(describe(CERT_FILE) + " and " + describe(KEY_FILE)
          + " go together: " + describe(cert.isEmpty() ? KEY_FILE : CERT_FILE) + " is set without the other");
    }
    return Optional.of(of(Path.of(cert.get()), Path.of(key.get())));
  }

  /** TLS with the PEM certificate chain and private key in these files. */
  public static ServerTls of(Path certificateChain, Path privateKey) {
    requireNonNull(certificateChain, "certificateChain");
    requireNonNull(privateKey, "privateKey");
    byte[] chain = read(certificateChain, CERT_FILE);
    byte[] key = read(privateKey, KEY_FILE);
    try {
      SslContext context =
          GrpcSslContexts.forServer(new ByteArrayInputStream(chain), new ByteArrayInputStream(key)).build();
      return new ServerTls(certificateChain, context);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use " + certificateChain + " (" + describe(CERT_FILE) + ") with "
          + privateKey + " (" + describe(KEY_FILE) + ") as a PEM certificate chain and PKCS#8 private key: "
          + e.getMessage(), e);
    }
  }

  private static byte[] read(Path file, String setting) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + describe(setting) + " " + file + ": " + e, e);
    }
  }

  private static String describe(String name) {
    return KnownSettings.variableName(name) + " (--" + name + ")";
  }

  SslContext sslContext() {
    return sslContext;
  }

  @Override
  public String toString() {
    return "ServerTls[" + certificateChain + "]";
  }
}
