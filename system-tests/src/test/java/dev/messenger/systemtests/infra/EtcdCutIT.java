package dev.messenger.systemtests.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import dev.messenger.stack.PortCut;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stack's etcd cut on a real etcd: a client on a path port of its own is cut off by iptables while a client
 * on the main port carries on, and gets through again once healed. Needs root and iptables.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdCutIT {
  private static final ByteSequence KEY = ByteSequence.from("/etcd-cut-it/key", StandardCharsets.UTF_8);

  @Test
  void should_cut_one_client_off_from_etcd_while_another_keeps_its_way_in_and_let_it_back_once_healed()
      throws Exception {
    // Only etcd starts: NATS and the CQL store are named as external and never reached.
    InfrastructureConfig etcdAlone = new InfrastructureConfig(List.of(), Optional.of("nats://127.0.0.1:1"),
        List.of(new InetSocketAddress("127.0.0.1", 1)), null, null, null, 0, 0, null, null, 1, false)
        .withEtcdPaths(2);
    try (Infrastructure infrastructure = Infrastructure.start(etcdAlone);
        PortCut portCut = PortCut.open("MESSENGER-CUT-IT-" + ProcessHandle.current().pid());
        Client main = Client.builder().endpoints(infrastructure.endpoints().etcdEndpoints().get(0)).build();
        Client cutOff = Client.builder().endpoints(infrastructure.etcdPathEndpoints(0).get(0)).build();
        Client bystander = Client.builder().endpoints(infrastructure.etcdPathEndpoints(1).get(0)).build()) {
      main.getKVClient().put(KEY, ByteSequence.from("before", StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
      assertThat(count(cutOff)).isEqualTo(1);
      List<Integer> cutPorts = List.of(URI.create(infrastructure.etcdPathEndpoints(0).get(0)).getPort());

      portCut.cut(cutPorts);
      assertThatThrownBy(() -> count(cutOff)).as("nothing comes back while cut")
          .isInstanceOf(TimeoutException.class);
      assertThat(count(main)).isEqualTo(1);
      assertThat(count(bystander)).isEqualTo(1);

      portCut.heal(cutPorts);
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> count(cutOff) == 1);
    }
  }

  private static long count(Client client) throws Exception {
    return client.getKVClient().get(KEY).get(2, TimeUnit.SECONDS).getCount();
  }
}
