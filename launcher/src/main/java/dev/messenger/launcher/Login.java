package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;

/** A user and password for NATS or the CQL store; {@link #toString} never shows the password. */
public record Login(String user, String password) {
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int GENERATED_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  public Login {
    requireNonNull(user, "user");
    requireNonNull(password, "password");
    if (user.isBlank() || password.isEmpty()) {
      throw new IllegalArgumentException("a login needs a user and a password");
    }
  }

  /**
   * {@code user} with a fresh random password of letters and digits only, so that it needs no quoting in a
   * NATS route URL, in the NATS configuration or in a CQL string literal.
   */
  public static Login generate(String user) {
    StringBuilder password = new StringBuilder(GENERATED_LENGTH);
    for (int i = 0; i < GENERATED_LENGTH; i++) {
      password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return new Login(user, password.toString());
  }

  @Override
  public String toString() {
    return "Login[user=" + user + ", password=***]";
  }
}
