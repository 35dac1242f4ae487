package dev.messenger.systemtests.push;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Credentials the tests make for themselves: a self-signed TLS certificate for 127.0.0.1 (the mock APNs
 * server's), an APNs .p8 signing key, and an FCM service account file whose token endpoint is the local FCM
 * server.
 */
final class TestCredentials {
  final KeyPair serverKeys;
  final X509Certificate serverCertificate;
  final Path serverCertificatePem;
  final Path apnsSigningKey;

  private TestCredentials(KeyPair serverKeys, X509Certificate serverCertificate, Path serverCertificatePem,
      Path apnsSigningKey) {
    this.serverKeys = serverKeys;
    this.serverCertificate = serverCertificate;
    this.serverCertificatePem = serverCertificatePem;
    this.apnsSigningKey = apnsSigningKey;
  }

  static TestCredentials create(Path directory) throws Exception {
    Files.createDirectories(directory);
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair serverKeys = rsa.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name,
        serverKeys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    X509Certificate certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(serverKeys.getPrivate())));
    Path pem = directory.resolve("apns-server.pem");
    Files.writeString(pem, toPem(certificate));

    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair signing = ec.generateKeyPair();
    Path p8 = directory.resolve("AuthKey_TESTKEY123.p8");
    Files.writeString(p8, pkcs8Pem(signing.getPrivate().getEncoded()));
    return new TestCredentials(serverKeys, certificate, pem, p8);
  }

  /**
   * An APNs client certificate as Apple issues it: a .p12 holding a self-signed certificate and its key
   * (written to {@code <name>.p12}, password {@code password}) and the certificate as PEM ({@code <name>.pem}).
   */
  static Path[] clientCertificate(Path directory, String name, String password) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair keys = rsa.generateKeyPair();
    X500Name subject = new X500Name("CN=Apple Push Services: " + name);
    Instant now = Instant.now();
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
        subject, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(name, keys.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate});
    Path p12 = directory.resolve(name + ".p12");
    try (var out = Files.newOutputStream(p12)) {
      store.store(out, password.toCharArray());
    }
    Path pem = directory.resolve(name + ".pem");
    Files.writeString(pem, toPem(certificate));
    return new Path[] {p12, pem};
  }

  /** A Google service account file whose token endpoint is {@code tokenUri}. */
  static Path serviceAccount(Path directory, String projectId, String tokenUri) throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair keys = rsa.generateKeyPair();
    String json = """
        {
          "type": "service_account",
          "project_id": "%s",
          "private_key_id": "test-key",
          "private_key": "%s",
          "client_email": "push@%s.iam.gserviceaccount.com",
          "client_id": "1",
          "token_uri": "%s"
        }
        """.formatted(projectId, pkcs8Pem(keys.getPrivate().getEncoded()).replace("\n", "\\n"), projectId, tokenUri);
    Path file = directory.resolve("fcm-service-account.json");
    Files.writeString(file, json);
    return file;
  }

  private static String pkcs8Pem(byte[] der) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static String toPem(X509Certificate certificate) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(certificate);
    }
    return out.toString();
  }
}
