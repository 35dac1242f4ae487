package dev.messenger.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubjectsTest {
  private final Subjects subjects = new Subjects("msgr");

  @Test
  void should_name_the_publisher_of_a_user_subject_before_the_user() {
    assertThat(subjects.user("alice", UserEventPublisher.ROUTER)).isEqualTo("msgr.user.router.alice");
    assertThat(subjects.user("alice", UserEventPublisher.SESSION)).isEqualTo("msgr.user.session.alice");
    assertThat(subjects.user("alice", UserEventPublisher.PRESENCE)).isEqualTo("msgr.user.presence.alice");
    assertThat(subjects.userFromAnyPublisher("alice")).isEqualTo("msgr.user.*.alice");
  }

  @Test
  void should_read_the_publisher_back_from_a_subject() {
    for (UserEventPublisher publisher : UserEventPublisher.values()) {
      assertThat(subjects.publisherOf(subjects.user("a.b@c", publisher))).contains(publisher);
    }
    assertThat(subjects.publisherOf("msgr.user.alice")).isEmpty();
    assertThat(subjects.publisherOf("msgr.user.forged.alice")).isEmpty();
    assertThat(subjects.publisherOf("other.user.router.alice")).isEmpty();
    assertThat(subjects.publisherOf("msgr.submit.3")).isEmpty();
  }

  @Test
  void should_not_let_a_user_subscription_hear_a_user_whose_id_extends_it() {
    String alice = subjects.userFromAnyPublisher("alice");

    for (UserEventPublisher publisher : UserEventPublisher.values()) {
      assertThat(matches(alice, subjects.user("alice", publisher))).isTrue();
      assertThat(matches(alice, subjects.user("alice.router", publisher))).isFalse();
      assertThat(matches(alice, subjects.user("alice.x", publisher))).isFalse();
    }
    assertThat(matches(subjects.userFromAnyPublisher("alice.x"), subjects.user("alice.x", UserEventPublisher.ROUTER)))
        .isTrue();
  }

  /** NATS's match of a subject by a pattern with {@code *} wildcards (one token each). */
  private static boolean matches(String pattern, String subject) {
    String[] wanted = pattern.split("\\.");
    String[] tokens = subject.split("\\.");
    return wanted.length == tokens.length && IntStream.range(0, tokens.length)
        .allMatch(i -> wanted[i].equals("*") || wanted[i].equals(tokens[i]));
  }
}
