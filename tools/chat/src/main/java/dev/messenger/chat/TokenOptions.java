package dev.messenger.chat;

import dev.messenger.common.auth.DevDefaults;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options both subcommands use to mint a token: who, which key, how long. */
final class TokenOptions {
  @Option(names = "--user", required = true, description = "User id.")
  String user;

  @Option(names = "--device", required = true, description = "Device id.")
  String device;

  @Option(names = "--key", defaultValue = "${env:MESSENGER_TOKEN_KEY}",
      description = "Signing key (default: $MESSENGER_TOKEN_KEY, else the development key).")
  String key;

  @Option(names = "--ttl", defaultValue = "24h", converter = Durations.class,
      description = "Token lifetime, e.g. 24h, 30m, 7d (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  /** True when no key was given and the development default is used. */
  boolean usesDevKey() {
    return key == null || key.isBlank();
  }

  /** A fresh token for the user and device. */
  String mint(Clock clock) {
    Tokens tokens = new Tokens(usesDevKey() ? DevDefaults.TOKEN_KEY : key, clock);
    return tokens.issue(new Principal(user, device), ttl);
  }
}
