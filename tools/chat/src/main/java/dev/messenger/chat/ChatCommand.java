package dev.messenger.chat;

import dev.messenger.api.v1.Group;
import dev.messenger.api.v1.SendAck;
import dev.messenger.client.ChannelFactory;
import dev.messenger.client.CursorStore;
import dev.messenger.client.FileCursorStore;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.client.TransportSecurity;
import io.grpc.ChannelCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chat}: an interactive terminal chat on top of {@link MessengerClient}. */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Connects as a user and device, prints what arrives and sends what you type.")
final class ChatCommand implements Callable<Integer> {
  @Mixin
  TokenOptions token;

  @Option(names = "--target", split = ",", defaultValue = "127.0.0.1:7100",
      description = "Bootstrap session server(s), host:port (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  @Option(names = "--tls-ca-file", paramLabel = "PEM", defaultValue = "${env:MESSENGER_TLS_CA_FILE}",
      description = "Reach the session servers over TLS, trusting this CA (default: $MESSENGER_TLS_CA_FILE, which "
          + "./messenger chat takes from a stack started with --tls; none: plaintext).")
  Path tlsCaFile;

  @Option(names = "--cursor-file",
      description = "Keep the device's cursor in this file, so a restart resumes where it left off.")
  Path cursorFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ChatPrinter printer = new ChatPrinter(out);
    Clock clock = Clock.systemUTC();
    token.mint(clock); // fails early, with a clear message, on invalid ids or keys
    CursorStore cursors = cursorFile == null ? new InMemoryCursorStore() : new FileCursorStore(cursorFile);
    printer.line("connecting as " + token.user + "/" + token.device + " via " + String.join(",", targets)
        + " (/help for commands)");
    ChannelCredentials credentials = TransportSecurity.of(Optional.ofNullable(tlsCaFile));
    try (GroupCalls groups = new GroupCalls(targets.get(0), credentials, () -> token.mint(clock));
        MessengerClient client = MessengerClient.builder()
        .targets(targets)
        .channelFactory(ChannelFactory.with(credentials))
        .tokenSupplier(() -> token.mint(clock))
        .cursorStore(cursors)
        .listener(printer)
        .clientVersion("messenger-chat/0.1")
        .build()
        .start()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!handle(ChatLineParser.parse(line), client, groups, printer)) {
          break;
        }
      }
    }
    return 0;
  }

  /** Acts on one line; false when the user wants to leave. */
  static boolean handle(ChatLine line, MessengerClient client, GroupCalls groups, ChatPrinter printer) {
    try {
      if (line instanceof ChatLine.CreateGroup create) {
        Group group = groups.create(create.title(), create.members());
        printer.line("created " + group.getConversationId() + " \"" + group.getTitle() + "\" with "
            + group.getMembersCount() + " members; post with #" + group.getConversationId() + " <text>");
        return true;
      } else if (line instanceof ChatLine.AddMembers add) {
        printer.line(add.conversationId() + " now has " + groups.add(add.conversationId(), add.members())
            .getMembersCount() + " members");
        return true;
      } else if (line instanceof ChatLine.Leave leave) {
        printer.line("left " + leave.conversationId() + " at #" + groups.leave(leave.conversationId()));
        return true;
      }
    } catch (io.grpc.StatusRuntimeException e) {
      printer.line("! " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return true;
    }
    if (line instanceof ChatLine.SendToUser send) {
      report(client.sendTo(send.userId(), send.body()), printer);
    } else if (line instanceof ChatLine.SendToConversation send) {
      report(client.send(send.conversationId(), send.body()), printer);
    } else if (line instanceof ChatLine.Read read) {
      client.markRead(read.conversationId(), read.upToSeq());
    } else if (line instanceof ChatLine.Help) {
      printer.line(ChatLineParser.USAGE);
    } else if (line instanceof ChatLine.Invalid invalid) {
      printer.line("? " + invalid.problem());
    } else if (line instanceof ChatLine.Quit) {
      return false;
    }
    return true;
  }

  private static void report(CompletableFuture<SendAck> ack, ChatPrinter printer) {
    ack.whenComplete((done, error) -> printer.line(
        error == null ? ChatPrinter.format(done) : "! not sent: " + rootMessage(error)));
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
