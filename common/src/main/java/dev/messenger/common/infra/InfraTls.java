package dev.messenger.common.infra;

import dev.messenger.common.config.KnownSettings;
import dev.messenger.common.config.Settings;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Which of etcd, NATS and the CQL store are reached over TLS, and the CA they are trusted by. The scheme says
 * it for etcd ({@code https://} endpoints) and NATS ({@code tls://} URLs), MESSENGER_CQL_TLS=true for the CQL
 * store; MESSENGER_INFRA_CA_FILE is the CA, without it the JVM's trusted roots. Settings that contradict each
 * other (mixed schemes, a CA file that no part uses) stop the start, naming them.
 *
 * @param ca the CA trusted for every part reached over TLS; empty for the JVM's roots
 */
public record InfraTls(boolean etcd, boolean nats, boolean cql, Optional<InfraCa> ca) {
  static final String CQL_TLS = "cql-tls";

  public InfraTls {
    ca = ca == null ? Optional.empty() : ca;
    if (ca.isPresent() && !etcd && !nats && !cql) {
      throw new IllegalArgumentException(describe(InfraCa.SETTING) + " is set, but no part is reached over TLS: "
          + "give https:// etcd endpoints, tls:// NATS URLs or " + describe(CQL_TLS) + "=true");
    }
  }

  /** Every part in plaintext. */
  public static InfraTls none() {
    return new InfraTls(false, false, false, Optional.empty());
  }

  static InfraTls from(Settings settings, List<String> etcdEndpoints, String natsUrl) {
    return new InfraTls(
        etcdUsesTls(etcdEndpoints),
        natsUsesTls(natsUrl),
        cqlUsesTls(settings.get(CQL_TLS)),
        settings.get(InfraCa.SETTING).map(file -> InfraCa.read(Path.of(file))));
  }

  static boolean etcdUsesTls(List<String> endpoints) {
    return sameScheme(endpoints, "etcd-endpoints", "https", "http");
  }

  static boolean natsUsesTls(String urls) {
    // jnats reads a URL without a scheme as nats://.
    List<String> withSchemes = List.of(urls.split(",")).stream()
        .map(String::trim)
        .map(url -> url.contains("://") ? url : "nats://" + url)
        .toList();
    return sameScheme(withSchemes, "nats-url", "tls", "nats");
  }

  private static boolean sameScheme(List<String> urls, String setting, String secure, String plain) {
    long secureCount = urls.stream().filter(url -> scheme(url, setting).equals(secure)).count();
    long plainCount = urls.stream().filter(url -> scheme(url, setting).equals(plain)).count();
    if (secureCount + plainCount < urls.size()) {
      throw new IllegalArgumentException(describe(setting) + " takes " + plain + ":// or " + secure + ":// URLs, not "
          + urls);
    }
    if (secureCount > 0 && plainCount > 0) {
      throw new IllegalArgumentException(describe(setting) + " mixes " + plain + ":// and " + secure
          + ":// URLs: all or none of them use TLS");
    }
    return secureCount > 0;
  }

  private static String scheme(String url, String setting) {
    try {
      String scheme = URI.create(url.trim()).getScheme();
      return scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe(setting) + " holds a malformed URL: " + url, e);
    }
  }

  private static boolean cqlUsesTls(Optional<String> value) {
    return value.map(v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(describe(CQL_TLS) + " is true or false, not '" + v + "'");
    }).orElse(false);
  }

  /** For the NATS and CQL clients: trusting the CA, or the JVM's roots without one. */
  SSLContext sslContext() {
    return ca.map(InfraCa::sslContext).orElseGet(InfraTls::defaultSslContext);
  }

  /** For the etcd client's gRPC channels: trusting the CA, or the JVM's roots without one. */
  SslContext grpcSslContext() {
    return ca.map(InfraCa::grpcSslContext).orElseGet(() -> {
      try {
        return GrpcSslContexts.forClient().build();
      } catch (SSLException e) {
        throw new IllegalStateException("cannot build a gRPC TLS context", e);
      }
    });
  }

  private static SSLContext defaultSslContext() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no default TLS context", e);
    }
  }

  static String describe(String name) {
    return KnownSettings.variableName(name) + " (--" + name + ")";
  }
}
