package dev.messenger.push.provider;

import dev.messenger.common.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where provider credentials are. APNs: either token auth ({@code apns-key-file}, a .p8 signing key, with
 * {@code apns-team-id} and {@code apns-key-id}) or certificate auth ({@code apns-cert-file}, a .p12, with
 * {@code apns-cert-password}); {@code apns-server} (host:port) replaces Apple's gateways and
 * {@code apns-trust-cert} (PEM) the trusted roots, for test servers. FCM: {@code fcm-credentials-file}, a
 * service account JSON; {@code fcm-server} (https://host:port) replaces Google's hosts (the OAuth token
 * endpoint and FCM's) and {@code fcm-trust-cert} (PEM) the trusted roots. A provider without credentials is
 * disabled.
 */
public record ProviderConfig(
    Optional<Path> apnsKeyFile,
    String apnsTeamId,
    String apnsKeyId,
    Optional<Path> apnsCertFile,
    String apnsCertPassword,
    Optional<String> apnsServer,
    Optional<Path> apnsTrustCert,
    int apnsConcurrency,
    Optional<Path> fcmCredentialsFile,
    Optional<URI> fcmServer,
    Optional<Path> fcmTrustCert,
    int fcmConcurrency) {

  public ProviderConfig {
    if (apnsConcurrency < 1 || fcmConcurrency < 1) {
      throw new IllegalArgumentException("provider concurrency must be positive");
    }
    if (apnsKeyFile.isPresent() && (apnsTeamId.isBlank() || apnsKeyId.isBlank())) {
      throw new IllegalArgumentException("apns-key-file needs apns-team-id and apns-key-id");
    }
    if (apnsKeyFile.isPresent() && apnsCertFile.isPresent()) {
      throw new IllegalArgumentException("give apns-key-file or apns-cert-file, not both");
    }
  }

  /** No provider enabled. */
  public static ProviderConfig none() {
    return new ProviderConfig(Optional.empty(), "", "", Optional.empty(), "", Optional.empty(), Optional.empty(),
        64, Optional.empty(), Optional.empty(), Optional.empty(), 64);
  }

  public static ProviderConfig from(Settings s) {
    return new ProviderConfig(
        s.get("apns-key-file").map(Path::of),
        s.string("apns-team-id", ""),
        s.string("apns-key-id", ""),
        s.get("apns-cert-file").map(Path::of),
        s.string("apns-cert-password", ""),
        s.get("apns-server"),
        s.get("apns-trust-cert").map(Path::of),
        s.integer("apns-concurrency", 64),
        s.get("fcm-credentials-file").map(Path::of),
        s.get("fcm-server").map(URI::create),
        s.get("fcm-trust-cert").map(Path::of),
        s.integer("fcm-concurrency", 64));
  }

  public boolean apnsConfigured() {
    return apnsKeyFile.isPresent() || apnsCertFile.isPresent();
  }
}
