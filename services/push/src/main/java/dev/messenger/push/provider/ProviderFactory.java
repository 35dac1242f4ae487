package dev.messenger.push.provider;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.push.provider.http.Http2Transport;
import dev.messenger.push.provider.http.TrustedCertificates;
import dev.messenger.push.queue.Providers;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the providers that have credentials; says once, in the log, which are disabled and why. */
public final class ProviderFactory {
  private static final Logger log = LoggerFactory.getLogger(ProviderFactory.class);

  private ProviderFactory() {}

  public static Providers build(ProviderConfig config) throws IOException, GeneralSecurityException {
    Providers providers = new Providers();
    if (config.apnsConfigured()) {
      providers.with(PushPlatform.PUSH_PLATFORM_APNS,
          new ApnsProvider(apnsClient(config, ApnsClientBuilder.DEVELOPMENT_APNS_HOST),
              apnsClient(config, ApnsClientBuilder.PRODUCTION_APNS_HOST)),
          config.apnsConcurrency());
      log.info("APNs enabled ({} auth{})", config.apnsKeyFile().isPresent() ? "token" : "certificate",
          config.apnsServer().map(s -> ", server " + s).orElse(""));
    } else {
      log.warn("APNs disabled: no apns-key-file or apns-cert-file configured; APNs devices get no notifications");
    }
    if (config.fcmCredentialsFile().isPresent()) {
      providers.with(PushPlatform.PUSH_PLATFORM_FCM,
          FcmProvider.create(config.fcmCredentialsFile().get(), fcmTransport(config)), config.fcmConcurrency());
      log.info("FCM enabled (HTTP/2{})", config.fcmServer().map(s -> ", server " + s).orElse(""));
    } else {
      log.warn("FCM disabled: no fcm-credentials-file configured; FCM devices get no notifications");
    }
    return providers;
  }

  /**
   * The HTTP/2 transport FCM's SDK sends through: to Google's hosts, or to {@code fcm-server} trusting
   * {@code fcm-trust-cert} when given.
   */
  public static Http2Transport fcmTransport(ProviderConfig config) throws IOException, GeneralSecurityException {
    SSLContext tls = config.fcmTrustCert().isPresent()
        ? TrustedCertificates.sslContext(config.fcmTrustCert().get())
        : SSLContext.getDefault();
    return Http2Transport.create(tls, config.fcmServer());
  }

  /** A Pushy client for one gateway (Apple's host unless {@code apns-server} overrides it). */
  public static ApnsClient apnsClient(ProviderConfig config, String appleHost)
      throws IOException, GeneralSecurityException {
    ApnsClientBuilder builder = new ApnsClientBuilder();
    if (config.apnsServer().isPresent()) {
      String server = config.apnsServer().get();
      int colon = server.lastIndexOf(':');
      builder.setApnsServer(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    } else {
      builder.setApnsServer(appleHost);
    }
    if (config.apnsKeyFile().isPresent()) {
      builder.setSigningKey(ApnsSigningKey.loadFromPkcs8File(config.apnsKeyFile().get().toFile(),
          config.apnsTeamId(), config.apnsKeyId()));
    } else {
      builder.setClientCredentials(config.apnsCertFile().orElseThrow().toFile(), config.apnsCertPassword());
    }
    if (config.apnsTrustCert().isPresent()) {
      builder.setTrustedServerCertificateChain(config.apnsTrustCert().get().toFile());
    }
    builder.setConcurrentConnections(2);
    return builder.build();
  }
}
