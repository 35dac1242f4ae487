package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How a channel reaches the messenger's gRPC ports: in plaintext, or over TLS trusting one CA (a deployment's
 * own, as {@code ./messenger up --tls} makes) or the system's roots. The one place channels get credentials.
 */
public final class TransportSecurity {
  /** The PEM file of the CA that tools and the web gateway trust when the services serve TLS. */
  public static final String CA_FILE_VARIABLE = "MESSENGER_TLS_CA_FILE";

  private TransportSecurity() {}

  public static ChannelCredentials plaintext() {
    return InsecureChannelCredentials.create();
  }

  /** TLS trusting the CA certificate(s) in {@code caPem}; the file is read now, so a bad one fails here. */
  public static ChannelCredentials trusting(Path caPem) {
    requireNonNull(caPem, "caPem");
    try {
      return TlsChannelCredentials.newBuilder().trustManager(caPem.toFile()).build();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot use " + caPem + " as a PEM CA certificate: " + e.getMessage(), e);
    }
  }

  /** TLS trusting the system's root certificates. */
  public static ChannelCredentials systemRoots() {
    return TlsChannelCredentials.create();
  }

  /** TLS trusting {@code caPem} when there is one, plaintext otherwise. */
  public static ChannelCredentials of(Optional<Path> caPem) {
    return caPem.map(TransportSecurity::trusting).orElseGet(TransportSecurity::plaintext);
  }

  /** The CA file named by {@link #CA_FILE_VARIABLE} in {@code environment}; empty when unset or blank. */
  public static Optional<Path> caFile(Map<String, String> environment) {
    return Optional.ofNullable(environment.get(CA_FILE_VARIABLE)).filter(v -> !v.isBlank()).map(Path::of);
  }
}
