package dev.messenger.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContactsTest {
  @Test
  void should_pair_users_with_one_contact() {
    assertThat(Contacts.of(0, 4, 1)).containsExactly(1);
    assertThat(Contacts.of(1, 4, 1)).containsExactly(0);
    assertThat(Contacts.of(3, 4, 1)).containsExactly(2);
  }

  @Test
  void should_let_the_odd_user_out_write_to_the_first() {
    assertThat(Contacts.of(4, 5, 1)).containsExactly(0);
    assertThat(Contacts.of(0, 1, 1)).isEmpty();
  }

  @Test
  void should_take_ring_neighbours_for_more_contacts() {
    assertThat(Contacts.of(0, 10, 4)).containsExactly(1, 9, 2, 8);
    assertThat(Contacts.of(5, 10, 3)).containsExactly(6, 4, 7);
    assertThat(Contacts.of(0, 3, 5)).containsExactlyInAnyOrder(1, 2);
  }
}
