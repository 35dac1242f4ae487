package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StreamDrainTest {
  private long now;
  private final List<Long> closedAt = new ArrayList<>();

  @Test
  void should_close_at_the_given_rate_in_ticks() {
    StreamDrain drain = new StreamDrain(100, Duration.ofSeconds(10), () -> now, this::step);

    StreamDrain.Outcome outcome = drain.drain(streams(45), stream -> closedAt.add(now));

    assertThat(outcome).isEqualTo(new StreamDrain.Outcome(45, 0));
    // 10 a tick of 100 ms: 100 a second, the last 5 in the fifth tick.
    assertThat(closedAt.subList(0, 10)).containsOnly(0L);
    assertThat(closedAt.subList(10, 20)).containsOnly(millis(100));
    assertThat(closedAt.subList(40, 45)).containsOnly(millis(400));
    assertThat(now).as("no pause after the last stream").isEqualTo(millis(400));
  }

  @Test
  void should_close_what_is_left_at_once_when_the_deadline_comes() {
    StreamDrain drain = new StreamDrain(100, Duration.ofMillis(250), () -> now, this::step);

    StreamDrain.Outcome outcome = drain.drain(streams(1000), stream -> closedAt.add(now));

    assertThat(outcome).isEqualTo(new StreamDrain.Outcome(30, 970));
    assertThat(closedAt).hasSize(1000);
    assertThat(closedAt.subList(30, 1000)).containsOnly(millis(300));
  }

  @Test
  void should_close_at_least_one_stream_a_tick_at_a_rate_below_ten() {
    StreamDrain drain = new StreamDrain(1, Duration.ofSeconds(10), () -> now, this::step);

    drain.drain(streams(3), stream -> closedAt.add(now));

    assertThat(closedAt).containsExactly(0L, millis(100), millis(200));
  }

  @Test
  void should_close_everything_at_once_when_interrupted() {
    StreamDrain drain = new StreamDrain(10, Duration.ofSeconds(10), () -> now, duration -> {
      throw new InterruptedException();
    });

    StreamDrain.Outcome outcome = drain.drain(streams(5), stream -> closedAt.add(now));

    assertThat(outcome).isEqualTo(new StreamDrain.Outcome(1, 4));
    assertThat(closedAt).hasSize(5);
    assertThat(Thread.interrupted()).isTrue();
  }

  private void step(Duration duration) {
    now += duration.toNanos();
  }

  private static long millis(long ms) {
    return Duration.ofMillis(ms).toNanos();
  }

  private static List<Integer> streams(int count) {
    return IntStream.range(0, count).boxed().toList();
  }
}
