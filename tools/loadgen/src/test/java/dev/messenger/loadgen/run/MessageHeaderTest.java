package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageHeaderTest {
  @Test
  void should_read_back_what_it_wrote_padded_to_the_requested_size() {
    MessageHeader header = new MessageHeader("abc123", 42, 7, 123_456_789_012L);

    String body = header.body(100);

    assertThat(body).hasSize(100).startsWith("LG1 abc123 42 7 123456789012 ").endsWith("xxx");
    assertThat(MessageHeader.parse(body)).contains(header);
  }

  @Test
  void should_keep_the_whole_header_when_the_size_is_smaller() {
    MessageHeader header = new MessageHeader("r", 1, 1, 1);

    assertThat(header.body(3)).isEqualTo("LG1 r 1 1 1 ");
    assertThat(MessageHeader.parse(header.body(3))).contains(header);
    assertThat(MessageHeader.maxHeaderLength("abcdef")).isLessThan(60);
  }

  @Test
  void should_not_read_bodies_it_did_not_write() {
    assertThat(MessageHeader.parse("hello")).isEmpty();
    assertThat(MessageHeader.parse("LG1 r 1 x 1 ")).isEmpty();
    assertThat(MessageHeader.parse("LG1 r 1 1")).isEmpty();
  }
}
