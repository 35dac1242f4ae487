package dev.messenger.chat;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the terminal chat and token minter. */
@Command(name = "messenger-chat", mixinStandardHelpOptions = true, version = "messenger-chat 0.1",
    subcommands = {TokenCommand.class, ChatCommand.class, CommandLine.HelpCommand.class},
    description = "A small terminal chat for the messenger, and a development token minter.")
public final class ChatMain implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for main and tests. */
  static CommandLine commandLine() {
    return new CommandLine(new ChatMain())
        .setExecutionExceptionHandler((error, commandLine, parseResult) -> {
          if (error instanceof IllegalArgumentException) {
            commandLine.getErr().println("error: " + error.getMessage());
            return 2;
          }
          throw error;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
