package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
  @Test
  void should_increase_within_one_millisecond() {
    Clock frozen = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);
    MessageIds ids = new MessageIds(frozen, new Random(1));
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      made.add(ids.next());
    }
    assertThat(made).allSatisfy(id -> assertThat(id).hasSize(26).matches("[0-9A-HJKMNP-TV-Z]{26}"));
    assertThat(made).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void should_sort_by_time_across_milliseconds() {
    String earlier = MessageIds.encode(1_000, 0xFFFF, -1L);
    String later = MessageIds.encode(1_001, 0, 0);
    assertThat(earlier).isLessThan(later);
  }

  @Test
  void should_never_go_back_when_the_clock_does() {
    long[] now = {5_000};
    Clock moving = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now[0]);
      }
    };
    MessageIds ids = new MessageIds(moving, new Random(2));
    String first = ids.next();
    now[0] = 4_000;
    assertThat(ids.next()).isGreaterThan(first);
  }
}
