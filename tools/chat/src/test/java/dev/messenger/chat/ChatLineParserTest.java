package dev.messenger.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ChatLineParserTest {
  @Test
  void should_parse_a_message_to_a_user() {
    assertThat(ChatLineParser.parse("@bob hello there"))
        .isEqualTo(new ChatLine.SendToUser("bob", "hello there"));
    assertThat(ChatLineParser.parse("  @bob   spaced  out  "))
        .isEqualTo(new ChatLine.SendToUser("bob", "spaced  out"));
  }

  @Test
  void should_parse_a_message_to_a_conversation() {
    assertThat(ChatLineParser.parse("#dm:alice:bob see you at 5"))
        .isEqualTo(new ChatLine.SendToConversation("dm:alice:bob", "see you at 5"));
    assertThat(ChatLineParser.parse("#g:42 #hashtags @mentions stay in the body"))
        .isEqualTo(new ChatLine.SendToConversation("g:42", "#hashtags @mentions stay in the body"));
  }

  @Test
  void should_parse_commands() {
    assertThat(ChatLineParser.parse("/read dm:alice:bob 12")).isEqualTo(new ChatLine.Read("dm:alice:bob", 12));
    assertThat(ChatLineParser.parse("/quit")).isEqualTo(new ChatLine.Quit());
    assertThat(ChatLineParser.parse("/exit")).isEqualTo(new ChatLine.Quit());
    assertThat(ChatLineParser.parse("/help")).isEqualTo(new ChatLine.Help());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\t"})
  void should_ignore_blank_lines(String line) {
    assertThat(ChatLineParser.parse(line)).isEqualTo(new ChatLine.Blank());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "hello", "@bob", "@bob   ", "@ hello", "#g:1", "# text", "/read g:1", "/read g:1 x", "/read g:1 0",
      "/read g:1 2 3", "/dance"})
  void should_explain_what_is_wrong_with_other_lines(String line) {
    assertThat(ChatLineParser.parse(line)).isInstanceOfSatisfying(ChatLine.Invalid.class,
        invalid -> assertThat(invalid.problem()).isNotBlank());
  }
}
