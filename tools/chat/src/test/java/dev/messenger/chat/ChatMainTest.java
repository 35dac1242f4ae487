package dev.messenger.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.api.v1.StreamError;
import dev.messenger.common.auth.DevDefaults;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(10)
class ChatMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ChatMain.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    return commandLine.execute(args);
  }

  @Test
  void should_mint_a_token_with_the_development_key_by_default() {
    int exit = run("token", "--user", "alice", "--device", "phone");

    assertThat(exit).isZero();
    Tokens services = new Tokens(DevDefaults.TOKEN_KEY, Clock.systemUTC());
    assertThat(services.verify(out.toString().strip())).contains(new Principal("alice", "phone"));
  }

  @Test
  void should_mint_a_token_with_a_given_key() {
    String key = "another-key-that-is-long-enough-for-hmac-256";

    int exit = run("token", "--user", "bob", "--device", "laptop", "--key", key, "--ttl", "30m");

    assertThat(exit).isZero();
    assertThat(new Tokens(key, Clock.systemUTC()).verify(out.toString().strip()))
        .contains(new Principal("bob", "laptop"));
    assertThat(new Tokens(DevDefaults.TOKEN_KEY, Clock.systemUTC()).verify(out.toString().strip())).isEmpty();
  }

  @Test
  void should_reject_invalid_ids_with_a_clear_message() {
    int exit = run("token", "--user", "not valid!", "--device", "phone");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("error:");
  }

  @Test
  void should_parse_short_and_iso_durations() {
    assertThat(Durations.parse("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_format_events_as_short_lines() {
    Message message = Message.newBuilder().setConversationId("dm:alice:bob").setSeq(12)
        .setSenderUserId("bob").setBody("hello").build();
    SendAck ack = SendAck.newBuilder().setConversationId("dm:alice:bob").setSeq(13).build();
    StreamError error = StreamError.newBuilder().setCode("INVALID_ARGUMENT").setReason("EMPTY_BODY")
        .setMessage("empty").build();

    assertThat(ChatPrinter.format(message)).isEqualTo("[dm:alice:bob #12] bob: hello");
    assertThat(ChatPrinter.format(ack)).isEqualTo("  sent [dm:alice:bob #13]");
    assertThat(ChatPrinter.format(error)).isEqualTo("! INVALID_ARGUMENT EMPTY_BODY: empty");
  }
}
