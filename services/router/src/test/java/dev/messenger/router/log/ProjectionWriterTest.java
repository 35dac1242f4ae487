package dev.messenger.router.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.api.v1.Message;
import org.junit.jupiter.api.Test;

class ProjectionWriterTest {
  @Test
  void should_keep_short_bodies_whole_in_the_preview() {
    Message message = Message.newBuilder().setBody("hello").build();

    assertThat(ProjectionWriter.preview(message)).isSameAs(message);
  }

  @Test
  void should_cut_long_bodies_at_a_code_point_boundary() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    Message message = Message.newBuilder().setBody(emoji.repeat(ProjectionWriter.PREVIEW_CODE_POINTS + 5)).setSeq(7).build();

    Message preview = ProjectionWriter.preview(message);

    assertThat(preview.getBody()).isEqualTo(emoji.repeat(ProjectionWriter.PREVIEW_CODE_POINTS));
    assertThat(preview.getSeq()).isEqualTo(7);
  }
}
