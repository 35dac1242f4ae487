package dev.messenger.systemtests.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.ApnsEnvironment;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.push.decision.Notification;
import dev.messenger.push.provider.ApnsProvider;
import dev.messenger.push.provider.ProviderConfig;
import dev.messenger.push.provider.ProviderFactory;
import dev.messenger.push.provider.SendResult;
import dev.messenger.push.store.DeviceRegistration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** APNs certificate auth: the provider built from a .p12 file talks to a mock APNs that checks client certificates. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PushApnsCertificateIT {
  @Test
  void should_send_with_a_p12_client_certificate_the_server_trusts() throws Exception {
    Path directory = Files.createDirectories(ModuleClasspath.repositoryRoot()
        .resolve("system-tests/target/push/cert-" + UUID.randomUUID()));
    TestCredentials credentials = TestCredentials.create(directory);
    Path[] client = TestCredentials.clientCertificate(directory, "messenger-app", "secret");
    try (MockApns apns = new MockApns(credentials, client[1])) {
      ProviderConfig config = new ProviderConfig(Optional.empty(), "", "", Optional.of(client[0]), "secret",
          Optional.of("127.0.0.1:" + apns.port), Optional.of(credentials.serverCertificatePem), 4, Optional.empty(), Optional.empty(),
          Optional.empty(), 4);
      ApnsProvider provider = new ApnsProvider(ProviderFactory.apnsClient(config, "unused"),
          ProviderFactory.apnsClient(config, "unused"));
      try {
        String token = "dd01bb02cc03dd04ee05ff0600000001";
        DeviceRegistration device = new DeviceRegistration("yara", "iphone", PushPlatform.PUSH_PLATFORM_APNS,
            ApnsEnvironment.APNS_ENVIRONMENT_PRODUCTION, token, PushCluster.TOPIC, 1);
        SendResult result = provider.send(device,
            new Notification("c-1", "New message from zack", Optional.empty(), 1, 1, "dm:yara:zack", 1))
            .get(30, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(new SendResult.Accepted());
        assertThat(apns.to(token)).hasSize(1);
        assertThat(apns.to(token).get(0).title()).isEqualTo("New message from zack");
        assertThat(apns.to(token).get(0).collapseId()).isEqualTo("c-1");
        assertThat(apns.to(token).get(0).clientSubject()).as("the TLS client certificate from the .p12")
            .contains("Apple Push Services: messenger-app");
      } finally {
        provider.close();
      }
    }
  }
}
