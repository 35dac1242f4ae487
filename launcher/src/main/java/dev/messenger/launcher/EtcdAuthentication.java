package dev.messenger.launcher;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.auth.Permission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns authentication on in a freshly started local etcd: a {@code root} user (etcd enables authentication
 * only once it has one) with a generated password that is not kept, and the services' user with a role that
 * may read and write the keys of the deployment's namespace ({@code /<ns>/...}) and read the key the services'
 * health probe reads, nothing else.
 */
final class EtcdAuthentication {
  static final String ROOT = "root";
  static final String SERVICE_ROLE = "messenger";
  /** The key every service's etcd probe reads (dev.messenger.common.health.Probes). */
  static final String HEALTH_PROBE_KEY = "/messenger-health-probe";

  private EtcdAuthentication() {}

  static void enable(List<String> endpoints, Login service, String namespace, Optional<LocalCertificates> tls,
      Duration timeout) {
    ClientBuilder builder = Client.builder().endpoints(endpoints.toArray(String[]::new));
    tls.ifPresent(certificates -> builder.sslContext(certificates.clientGrpcSslContext()));
    try (Client client = builder.build()) {
      Auth auth = client.getAuthClient();
      Login rootLogin = Login.generate(ROOT);
      ByteSequence root = bytes(rootLogin.user());
      ByteSequence role = bytes(SERVICE_ROLE);
      ByteSequence user = bytes(service.user());
      await(auth.roleAdd(root), timeout);
      await(auth.userAdd(root, bytes(rootLogin.password())), timeout);
      await(auth.userGrantRole(root, root), timeout);
      await(auth.roleAdd(role), timeout);
      String prefix = "/" + namespace + "/";
      await(auth.roleGrantPermission(role, bytes(prefix), bytes(prefixEnd(prefix)), Permission.Type.READWRITE),
          timeout);
      await(auth.roleGrantPermission(role, bytes(HEALTH_PROBE_KEY), ByteSequence.EMPTY, Permission.Type.READ),
          timeout);
      await(auth.userAdd(user, bytes(service.password())), timeout);
      await(auth.userGrantRole(user, role), timeout);
      await(auth.authEnable(), timeout);
    }
  }

  private static void await(CompletableFuture<?> step, Duration timeout) {
    try {
      step.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new InfrastructureException("could not turn on etcd authentication: "
          + (e instanceof ExecutionException ? e.getCause().getMessage() : "no answer within " + timeout), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while turning on etcd authentication", e);
    }
  }

  /** The end of the range of keys starting with {@code prefix}: its last character plus one ('/' is ASCII). */
  static String prefixEnd(String prefix) {
    char last = prefix.charAt(prefix.length() - 1);
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
