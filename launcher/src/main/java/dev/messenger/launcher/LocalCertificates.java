package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and a server certificate it signed for localhost, 127.0.0.1,
 * 127.0.0.11 to 127.0.0.13, 127.0.0.21 to 127.0.0.23 and 127.0.0.31 to 127.0.0.33 (the addresses of a local
 * cluster's NATS, etcd and store nodes), written as PEM files: what {@code ./messenger up --tls}
 * and tests give the services' gRPC ports and the local etcd, NATS and Cassandra. The CA's key is never
 * written; the server's key is readable by its owner only.
 */
public record LocalCertificates(Path caCertificate, Path serverCertificateChain, Path serverKey) {
  private static final Duration VALIDITY = Duration.ofDays(30);
  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  public LocalCertificates {
    requireNonNull(caCertificate, "caCertificate");
    requireNonNull(serverCertificateChain, "serverCertificateChain");
    requireNonNull(serverKey, "serverKey");
  }

  /** Makes a new CA and server certificate in {@code directory}: ca.pem, server.pem (chain) and server-key.pem. */
  public static LocalCertificates create(Path directory) {
    try {
      Files.createDirectories(directory);
      KeyPair ca = newKeyPair();
      X500Name caName = new X500Name("CN=messenger local CA");
      X509Certificate caCertificate = sign(caName, caName, ca.getPublic(), ca.getPrivate(), true);
      KeyPair server = newKeyPair();
      X509Certificate serverCertificate =
          sign(caName, new X500Name("CN=localhost"), server.getPublic(), ca.getPrivate(), false);
      LocalCertificates files = new LocalCertificates(directory.resolve("ca.pem"), directory.resolve("server.pem"),
          directory.resolve("server-key.pem"));
      Files.writeString(files.caCertificate, pem(caCertificate));
      Files.writeString(files.serverCertificateChain, pem(serverCertificate) + pem(caCertificate));
      writeOwnerOnly(files.serverKey, pem(new JcaPKCS8Generator(server.getPrivate(), null)));
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write certificates to " + directory, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make local certificates", e);
    }
  }

  /** A TLS context trusting this CA alone, for the launcher's CQL clients. */
  public SSLContext clientSslContext() {
    try (InputStream in = Files.newInputStream(caCertificate)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context trusting " + caCertificate, e);
    }
  }

  /** A gRPC TLS context trusting this CA alone, for the launcher's etcd client. */
  public SslContext clientGrpcSslContext() {
    try {
      return GrpcSslContexts.forClient().trustManager(caCertificate.toFile()).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a gRPC TLS context trusting " + caCertificate, e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X500Name issuer, X500Name subject, PublicKey subjectKey, PrivateKey issuerKey,
      boolean authority) throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, subjectKey);
    JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
    builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(subjectKey));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
    if (authority) {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } else {
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(subjectNames()));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKey)));
  }

  /** localhost and every address a local part may listen on: 127.0.0.1 and those of a cluster's members. */
  private static GeneralName[] subjectNames() {
    Set<String> addresses = new LinkedHashSet<>(List.of("127.0.0.1"));
    for (int member = 0; member < InfrastructureConfig.CLUSTER_NODES; member++) {
      addresses.addAll(List.of(CassandraNode.memberAddress(member), NatsServer.memberAddress(member),
          EtcdServer.memberAddress(member)));
    }
    return Stream.concat(addresses.stream().map(address -> new GeneralName(GeneralName.iPAddress, address)),
        Stream.of(new GeneralName(GeneralName.dNSName, "localhost"))).toArray(GeneralName[]::new);
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content, StandardCharsets.US_ASCII);
  }
}
