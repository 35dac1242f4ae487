package dev.messenger.loadgen.run;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who writes to whom, among the {@code n} users of one shard (local indexes 0..n-1). One contact means
 * fixed pairs (0-1, 2-3, ...; with an odd count the last user writes to user 0); more contacts are the
 * nearest users on a ring (+1, -1, +2, -2, ...), so contact lists are symmetric.
 */
final class Contacts {
  private Contacts() {}

  static Set<Integer> of(int user, int n, int contacts) {
    Set<Integer> peers = new LinkedHashSet<>();
    if (n < 2) {
      return peers;
    }
    if (contacts == 1) {
      int partner = user ^ 1;
      peers.add(partner < n ? partner : 0);
      return peers;
    }
    int limit = Math.min(contacts, n - 1);
    for (int k = 1; peers.size() < limit; k++) {
      peers.add(Math.floorMod(user + k, n));
      if (peers.size() < limit) {
        peers.add(Math.floorMod(user - k, n));
      }
    }
    peers.remove(user);
    return peers;
  }
}
