package dev.messenger.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.messenger.api.v1.Cursor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SmallPartsTest {
  @Test
  void should_read_the_error_info_reason_of_a_status() {
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
        .setMessage("slow")
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("SLOW_CONSUMER").setDomain("messenger").build()))
        .build();

    assertThat(ErrorReasons.reasonOf(StatusProto.toStatusRuntimeException(status))).isEqualTo("SLOW_CONSUMER");
    assertThat(ErrorReasons.reasonOf(Status.UNAVAILABLE.asRuntimeException())).isEmpty();
    assertThat(ErrorReasons.reasonOf(new IllegalStateException())).isEmpty();
  }

  @Test
  void should_make_sortable_unique_ids_of_26_characters() {
    TestClock clock = new TestClock();
    ClientMessageIds ids = new ClientMessageIds(clock, new Random(1));
    Set<String> seen = new HashSet<>();
    String previous = ids.next();
    for (int i = 0; i < 1_000; i++) {
      clock.advance(Duration.ofMillis(1));
      String id = ids.next();
      assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}").isGreaterThan(previous);
      seen.add(id);
      previous = id;
    }
    assertThat(seen).hasSize(1_000);
  }

  @Test
  void should_keep_the_cursor_in_a_file(@TempDir Path dir) {
    FileCursorStore store = new FileCursorStore(dir.resolve("cursor.bin"));
    assertThat(store.load()).isEqualTo(Cursor.getDefaultInstance());

    Cursor cursor = Cursor.newBuilder().putSeqs("c1", 42).build();
    store.save(cursor);

    assertThat(new FileCursorStore(dir.resolve("cursor.bin")).load()).isEqualTo(cursor);
  }
}
