package dev.messenger.loadgen.push;

import dev.messenger.loadgen.report.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * What a load run makes for itself: a self-signed TLS certificate for 127.0.0.1 (by the JDK's keytool) for
 * the mock FCM server, and a Google service account file for the push instances.
 */
public final class ScenarioCredentials {
  private static final String PASSWORD = "load-run";

  private final Path keyStore;
  private final Path certificatePem;
  private final Path serviceAccount;

  private ScenarioCredentials(Path keyStore, Path certificatePem, Path serviceAccount) {
    this.keyStore = keyStore;
    this.certificatePem = certificatePem;
    this.serviceAccount = serviceAccount;
  }

  public static ScenarioCredentials create(Path directory, String projectId)
      throws IOException, GeneralSecurityException, InterruptedException {
    Files.createDirectories(directory);
    Path keyStore = directory.resolve("fcm-server.p12");
    Path pem = directory.resolve("fcm-server.pem");
    Files.deleteIfExists(keyStore);
    keytool("-genkeypair", "-alias", "fcm", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "7", "-storetype", "PKCS12", "-keystore",
        keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "fcm", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String privateKey = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Map<String, Object> account = new LinkedHashMap<>();
    account.put("type", "service_account");
    account.put("project_id", projectId);
    account.put("private_key_id", "load-key");
    account.put("private_key", privateKey);
    account.put("client_email", "push@" + projectId + ".iam.gserviceaccount.com");
    account.put("client_id", "1");
    account.put("token_uri", "https://oauth2.googleapis.com/token");
    Path serviceAccount = directory.resolve("fcm-service-account.json");
    Files.writeString(serviceAccount, Json.write(account));
    return new ScenarioCredentials(keyStore, pem, serviceAccount);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }

  /** The mock server's key and certificate. */
  public KeyManagerFactory serverKeys() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    return keys;
  }

  /** The certificate the push instances trust ({@code fcm-trust-cert}). */
  public Path certificatePem() {
    return certificatePem;
  }

  public Path serviceAccount() {
    return serviceAccount;
  }
}
