package dev.messenger.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.messenger.api.v1.SessionServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecentReferralsTest {
  private final RecentReferrals referrals = new RecentReferrals();
  private final Random random = new Random(7);

  @Test
  void should_spread_a_ramp_evenly_while_the_published_counts_are_stale() {
    List<SessionServer> published = List.of(server("a", 100), server("b", 160));
    Map<String, Integer> arrived = new HashMap<>(Map.of("a", 100, "b", 160));
    long now = 0;
    for (int device = 0; device < 400; device++) {
      now += Duration.ofMillis(2).toNanos(); // 500 a second, all within one published count
      arrived.merge(pickAsAClientDoes(referrals.answer(published, now)), 1, Integer::sum);
    }
    assertThat(Math.abs(arrived.get("a") - arrived.get("b")))
        .as("streams per server after the ramp: %s", arrived)
        .isLessThanOrEqualTo(StreamMoves.REBALANCE_DEAD_BAND + 1);
  }

  @Test
  void should_count_the_devices_referred_lately_in_the_answer() {
    List<SessionServer> published = List.of(server("a", 50), server("b", 50));
    for (int i = 0; i < 40; i++) {
      referrals.answer(published, Duration.ofMillis(i).toNanos());
    }
    List<SessionServer> answer = referrals.answer(published, Duration.ofMillis(40).toNanos());
    assertThat(answer).extracting(SessionServer::getStreams).containsExactly(70, 70);
  }

  @Test
  void should_stop_counting_referrals_once_the_published_count_shows_them() {
    for (int i = 0; i < 100; i++) {
      referrals.answer(List.of(server("a", 0), server("b", 300)), Duration.ofMillis(i).toNanos());
    }
    List<SessionServer> answer = referrals.answer(List.of(server("a", 100), server("b", 300)),
        Duration.ofMillis(100).toNanos());
    assertThat(answer).extracting(SessionServer::getServerId, SessionServer::getStreams)
        .containsExactly(tuple("a", 100), tuple("b", 300));
  }

  @Test
  void should_not_send_devices_that_were_just_moved_back_where_they_came_from() {
    // A crowded server handed 15 devices over; they reconnected to the empty one, which published them.
    long now = 0;
    for (int device = 0; device < 15; device++) {
      now += Duration.ofMillis(10).toNanos();
      assertThat(pickAsAClientDoes(referrals.answer(List.of(server("crowded", 45), server("empty", 1)), now)))
          .isEqualTo("empty");
    }
    // It hands over 7 more once the first 15 are in the empty server's published count.
    for (int device = 0; device < 7; device++) {
      now += Duration.ofMillis(10).toNanos();
      assertThat(pickAsAClientDoes(referrals.answer(List.of(server("crowded", 38), server("empty", 16)), now)))
          .as("device %d of the second hand-over", device).isEqualTo("empty");
    }
  }

  @Test
  void should_count_no_more_than_the_last_seconds_of_referrals_while_devices_come_and_go() {
    // Devices leave as fast as they arrive: the published counts stay flat for a minute.
    List<SessionServer> published = List.of(server("a", 100), server("b", 100));
    long most = 0;
    for (int answer = 0; answer < 600; answer++) {
      long now = Duration.ofMillis(100L * answer).toNanos();
      for (SessionServer server : referrals.answer(published, now)) {
        most = Math.max(most, server.getStreams());
      }
    }
    long referredWithinMemory = 10 * RecentReferrals.MEMORY.toSeconds() / 2; // 10 a second, half to each
    assertThat(most).isLessThanOrEqualTo(100 + referredWithinMemory + 2);
  }

  @Test
  void should_forget_referrals_that_never_arrived() {
    for (int i = 0; i < 30; i++) {
      referrals.answer(List.of(server("a", 0), server("b", 100)), Duration.ofMillis(i).toNanos());
    }
    long later = Duration.ofMillis(29).plus(RecentReferrals.MEMORY).plusMillis(1).toNanos();
    assertThat(referrals.answer(List.of(server("a", 0), server("b", 100)), later))
        .extracting(SessionServer::getServerId, SessionServer::getStreams)
        .containsExactly(tuple("a", 0), tuple("b", 100));
  }

  @Test
  void should_answer_fewest_first_and_nothing_for_no_server() {
    assertThat(referrals.answer(List.of(), 0)).isEmpty();
    assertThat(referrals.answer(List.of(server("b", 90), server("a", 30)), 0))
        .extracting(SessionServer::getServerId).containsExactly("a", "b");
  }

  /** The Java client's rule: at random among the servers within the dead band of the fewest. */
  private String pickAsAClientDoes(List<SessionServer> answer) {
    long total = answer.stream().mapToLong(SessionServer::getStreams).sum();
    long band = Math.max(StreamMoves.REBALANCE_DEAD_BAND, total / answer.size() / 20);
    long fewest = answer.stream().mapToLong(SessionServer::getStreams).min().orElseThrow();
    List<SessionServer> near = answer.stream().filter(s -> s.getStreams() <= fewest + band).toList();
    return near.get(random.nextInt(near.size())).getServerId();
  }

  private static SessionServer server(String id, int streams) {
    return SessionServer.newBuilder().setServerId(id).setAddress(id + ":1").setStreams(streams).build();
  }
}
