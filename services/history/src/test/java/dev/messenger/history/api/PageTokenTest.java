package dev.messenger.history.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageTokenTest {
  @Test
  void should_round_trip() {
    PageToken token = new PageToken(50, "dm:alice:bob");

    assertThat(PageToken.decode(token.encode())).isEqualTo(token);
    assertThat(token.encode()).doesNotContain("alice");
  }

  @Test
  void should_resume_after_the_last_id_even_when_the_list_moved() {
    PageToken token = new PageToken(2, "c");

    assertThat(token.resumeIndex(List.of("a", "b", "c", "d"))).isEqualTo(3);
    assertThat(token.resumeIndex(List.of("x", "a", "b", "c", "d"))).isEqualTo(4);
    assertThat(token.resumeIndex(List.of("a", "b", "d", "e"))).isEqualTo(2);
    assertThat(token.resumeIndex(List.of("a"))).isEqualTo(1);
  }

  @Test
  void should_reject_tokens_it_did_not_make() {
    for (String bad : new String[] {"not base64!", "eA", PageTokenTest.base64("2:1:a"), PageTokenTest.base64("1:x:a"),
        PageTokenTest.base64("1:-1:a"), PageTokenTest.base64("1:3:"), "A".repeat(2000)}) {
      assertThatThrownBy(() -> PageToken.decode(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static String base64(String plain) {
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes());
  }
}
