package dev.messenger.common.infra;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CA whose certificates etcd, NATS and the CQL store present when they serve TLS: a PEM file of one or
 * more certificates (MESSENGER_INFRA_CA_FILE). Read and parsed at once, so a bad file stops the start and
 * names the setting; the contexts built from it trust that CA alone, not the system's roots.
 */
public final class InfraCa {
  /** The setting naming the file. */
  public static final String SETTING = "infra-ca-file";

  private final Path file;
  private final List<X509Certificate> certificates;

  private InfraCa(Path file, List<X509Certificate> certificates) {
    this.file = file;
    this.certificates = certificates;
  }

  /** The certificates in {@code file}; an error naming the setting when it cannot be read or holds none. */
  public static InfraCa read(Path file) {
    requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast)
          .toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(describe() + " " + file + " holds no PEM certificate");
      }
      return new InfraCa(file, certificates);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + describe() + " " + file + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          describe() + " " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** A TLS context for the NATS and CQL clients. */
  public SSLContext sslContext() {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context trusting " + file, e);
    }
  }

  /** A TLS context for gRPC channels over Netty, as the etcd client opens. */
  public SslContext grpcSslContext() {
    try {
      return GrpcSslContexts.forClient().trustManager(certificates.toArray(X509Certificate[]::new)).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a gRPC TLS context trusting " + file, e);
    }
  }

  static String describe() {
    return InfraTls.describe(SETTING);
  }

  @Override
  public String toString() {
    return "InfraCa[" + file + "]";
  }
}
