package dev.messenger.chat;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code token}: prints a signed token for a user and device. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Prints a token for a user and device, signed with the given or the development key.")
final class TokenCommand implements Callable<Integer> {
  @Mixin
  TokenOptions options;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    if (options.usesDevKey()) {
      spec.commandLine().getErr()
          .println("note: signing with the development key (set --key or MESSENGER_TOKEN_KEY)");
    }
    spec.commandLine().getOut().println(options.mint(Clock.systemUTC()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
