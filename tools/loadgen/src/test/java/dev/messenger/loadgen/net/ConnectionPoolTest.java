package dev.messenger.loadgen.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {
  @Test
  void should_put_up_to_n_streams_on_one_connection() throws Exception {
    try (ConnectionPool pool = new ConnectionPool(3, List.of())) {
      List<ManagedChannel> leases = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        leases.add(pool.create("localhost:7100"));
      }
      leases.add(pool.create("127.0.0.1:7100"));

      assertThat(pool.connections()).isEqualTo(3);
      leases.get(0).shutdown();
      assertThat(leases.get(0).isShutdown()).isTrue();
      assertThat(leases.get(1).isShutdown()).isFalse();
      pool.create("127.0.0.1:7100");
      assertThat(pool.connections()).isEqualTo(3);
    }
  }

  @Test
  void should_spread_connections_over_source_addresses() throws Exception {
    List<InetAddress> sources = List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.3"));
    try (ConnectionPool pool = new ConnectionPool(1, sources)) {
      for (int i = 0; i < 5; i++) {
        pool.create("127.0.0.1:7100");
      }

      assertThat(pool.connectionsBySource()).containsEntry("127.0.0.2", 3).containsEntry("127.0.0.3", 2);
    }
  }

  @Test
  void should_treat_names_of_the_same_address_as_one_target() {
    assertThat(ConnectionPool.key("localhost:7100")).isEqualTo(ConnectionPool.key("127.0.0.1:7100"));
  }
}
