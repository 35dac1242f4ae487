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
 * may read and write every key. The whole keyspace rather than the services' prefix: the prefix follows
 * MESSENGER_NAMESPACE, which each service reads for itself (tests give each cluster a namespace of its own).
 */
final class EtcdAuthentication {
  static final String ROOT = "root";
  static final String SERVICE_ROLE = "messenger";
  /** With this key as both start and range end, a permission covers every key (etcd's "from key" range). */
  private static final ByteSequence EVERY_KEY = ByteSequence.from(new byte[] {0});

  private EtcdAuthentication() {}

  static void enable(List<String> endpoints, Login service, Optional<LocalCertificates> tls, Duration timeout) {
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
      await(auth.roleGrantPermission(role, EVERY_KEY, EVERY_KEY, Permission.Type.READWRITE), timeout);
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

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
