package dev.messenger.common.infra;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.config.KnownSettings;
import dev.messenger.common.config.Settings;
import java.util.Optional;

/** A user and password that a service presents to etcd, NATS or the CQL store; never printed. */
public record Credentials(String user, String password) {
  public Credentials {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
  }

  /**
   * The {@code <prefix>-user} and {@code <prefix>-password} settings ({@code nats-user}, or
   * MESSENGER_NATS_USER); empty when neither is set, an error when only one is.
   */
  static Optional<Credentials> from(Settings settings, String prefix) {
    String userName = prefix + "-user";
    String passwordName = prefix + "-password";
    Optional<String> user = settings.get(userName);
    Optional<String> password = settings.get(passwordName);
    if (user.isEmpty() && password.isEmpty()) {
      return Optional.empty();
    }
    if (user.isEmpty()) {
      throw new IllegalArgumentException(describe(passwordName) + " is set without " + describe(userName));
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException(describe(userName) + " is set without " + describe(passwordName));
    }
    return Optional.of(new Credentials(user.get(), password.get()));
  }

  private static String describe(String name) {
    return KnownSettings.variableName(name) + " (--" + name + ")";
  }

  @Override
  public String toString() {
    return "Credentials[user=" + user + ", password=***]";
  }
}
