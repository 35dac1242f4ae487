package dev.messenger.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratedConfigurationTest {
  private final Path directory = Path.of("/tmp/messenger-infra-1/cassandra");

  @Test
  void should_keep_every_cassandra_file_under_its_directory() {
    String yaml = CassandraYaml.render(directory, 7100, 9100);

    assertThat(yaml)
        .contains("storage_port: 7100\n", "native_transport_port: 9100\n", "- seeds: \"127.0.0.1:7100\"")
        .contains("listen_address: 127.0.0.1\n", "rpc_address: 127.0.0.1\n")
        .contains("  - \"/tmp/messenger-infra-1/cassandra/data\"\n")
        .contains("commitlog_directory: \"/tmp/messenger-infra-1/cassandra/commitlog\"\n")
        .contains("saved_caches_directory: \"/tmp/messenger-infra-1/cassandra/saved_caches\"\n")
        .contains("hints_directory: \"/tmp/messenger-infra-1/cassandra/hints\"\n")
        .contains("cdc_raw_directory: \"/tmp/messenger-infra-1/cassandra/cdc_raw\"\n")
        .contains("commitlog_sync: batch\n")
        .contains("auto_snapshot: false\n", "storage_compatibility_mode: NONE\n")
        .doesNotContain("commitlog_sync_period", "commitlog_sync_group_window");
    assertThat(yaml.lines().filter(line -> line.contains("/")))
        .allSatisfy(line -> assertThat(line).contains("/tmp/messenger-infra-1/cassandra/"));
  }

  @Test
  void should_quote_paths_in_yaml() {
    assertThat(CassandraYaml.render(Path.of("/tmp/a \"b\"\\c"), 1, 2))
        .contains("commitlog_directory: \"/tmp/a \\\"b\\\"\\\\c/commitlog\"");
  }

  @Test
  void should_give_cassandra_its_heap_config_and_module_flags() {
    Path config = directory.resolve("cassandra.yaml");

    assertThat(CassandraJvm.options("384m", config, directory, directory.resolve("logback.xml")))
        .contains("-Xms384m", "-Xmx384m", "-Dcassandra-foreground=yes")
        .contains("-Dcassandra.config=file:///tmp/messenger-infra-1/cassandra/cassandra.yaml")
        .contains("-Dcassandra.storagedir=/tmp/messenger-infra-1/cassandra")
        .contains("-Dlogback.configurationFile=/tmp/messenger-infra-1/cassandra/logback.xml")
        .containsSequence("--add-opens", "java.base/java.nio=ALL-UNNAMED")
        .contains("-Dcassandra.skip_wait_for_gossip_to_settle=0")
        .contains("-Xlog:gc:file=/tmp/messenger-infra-1/cassandra/gc.log:time");
  }

  @Test
  void should_find_the_cassandra_runtime_jars() {
    assertThat(CassandraJvm.classpath().split(":"))
        .anySatisfy(jar -> assertThat(jar).contains("cassandra-all-"))
        .anySatisfy(jar -> assertThat(jar).contains("netty-all-4.1."))
        .noneSatisfy(jar -> assertThat(jar).contains("logback-classic-1.5"));
  }

  @Test
  void should_limit_jetstream_and_listen_on_loopback_only() {
    String config = NatsServer.config(4222, 8222, Path.of("/tmp/n/jetstream"), 1024, 2048);

    assertThat(config)
        .contains("listen: \"127.0.0.1:4222\"\n", "http: \"127.0.0.1:8222\"\n")
        .contains("store_dir: \"/tmp/n/jetstream\"\n", "max_memory_store: 1024\n", "max_file_store: 2048\n");
  }

  @Test
  void should_run_etcd_on_loopback_urls_only() {
    assertThat(EtcdServer.command(Path.of("/usr/bin/etcd"), Path.of("/tmp/e"), 2379, 2380, 2381))
        .startsWith("/usr/bin/etcd")
        .containsSequence("--listen-client-urls", "http://127.0.0.1:2379")
        .containsSequence("--initial-cluster", "n1=http://127.0.0.1:2380")
        .containsSequence("--listen-metrics-urls", "http://127.0.0.1:2381")
        .contains("--logger=zap", "--log-level=warn")
        .filteredOn(argument -> argument.startsWith("http"))
        .allSatisfy(url -> assertThat(url).startsWith("http://127.0.0.1:"));
  }

  @Test
  void should_listen_on_each_path_port_besides_the_main_client_port_but_advertise_only_the_main_one() {
    EtcdServer.Member member = new EtcdServer.Member("n1", 2379, 2380, 2381, List.of(2391, 2392));

    assertThat(EtcdServer.command(Path.of("/usr/bin/etcd"), Path.of("/tmp/e"), member, List.of(member)))
        .containsSequence("--listen-client-urls", "http://127.0.0.1:2379,http://127.0.0.1:2391,http://127.0.0.1:2392")
        .containsSequence("--advertise-client-urls", "http://127.0.0.1:2379");
    assertThat(member.pathUrls(false)).containsExactly("http://127.0.0.1:2391", "http://127.0.0.1:2392");
  }

  @Test
  void should_make_each_member_of_a_local_cluster_know_the_others() {
    List<EtcdServer.Member> members = List.of(new EtcdServer.Member("n1", 1, 2, 3),
        new EtcdServer.Member("n2", 4, 5, 6), new EtcdServer.Member("n3", 7, 8, 9));
    assertThat(EtcdServer.command(Path.of("/usr/bin/etcd"), Path.of("/tmp/e2"), members.get(1), members))
        .containsSequence("--name", "n2")
        .containsSequence("--listen-client-urls", "http://127.0.0.1:4")
        .containsSequence("--initial-cluster", "n1=http://127.0.0.1:2,n2=http://127.0.0.1:5,n3=http://127.0.0.1:8");

    List<EtcdServer.Member> ownAddresses = List.of(new EtcdServer.Member("n1", EtcdServer.memberAddress(0), 1, 2, 3,
        List.of(10)), new EtcdServer.Member("n2", EtcdServer.memberAddress(1), 4, 5, 6, List.of(11)));
    assertThat(EtcdServer.command(Path.of("/usr/bin/etcd"), Path.of("/tmp/e2"), ownAddresses.get(1), ownAddresses))
        .containsSequence("--listen-client-urls", "http://127.0.0.22:4,http://127.0.0.22:11")
        .containsSequence("--advertise-client-urls", "http://127.0.0.22:4")
        .containsSequence("--listen-peer-urls", "http://127.0.0.22:5")
        .containsSequence("--initial-cluster", "n1=http://127.0.0.21:2,n2=http://127.0.0.22:5")
        .containsSequence("--listen-metrics-urls", "http://127.0.0.1:6");

    assertThat(NatsServer.cluster(0, new int[] {6222, 6223, 6224}))
        .contains("listen: \"127.0.0.11:6222\"", "\"nats://127.0.0.12:6223\"", "\"nats://127.0.0.13:6224\"")
        .doesNotContain("nats://127.0.0.11:6222", "127.0.0.1:");

    String yaml = CassandraYaml.renderMember(Path.of("/tmp/c2"), "127.0.0.2",
        "127.0.0.1:7000,127.0.0.2:7000,127.0.0.3:7000", 7000, 9042, -3074457345618258603L);
    assertThat(yaml)
        .contains("initial_token: -3074457345618258603\n", "auto_bootstrap: false\n")
        .contains("commitlog_sync: periodic\n")
        .contains("listen_address: 127.0.0.2\n", "rpc_address: 127.0.0.2\n")
        .contains("- seeds: \"127.0.0.1:7000,127.0.0.2:7000,127.0.0.3:7000\"");
    assertThat(CassandraYaml.render(Path.of("/tmp/c1"), 7000, 9042)).doesNotContain("initial_token", "auto_bootstrap");
  }

  @Test
  void should_split_the_ring_into_equal_ranges() {
    assertThat(Infrastructure.evenTokens(3))
        .containsExactly(Long.MIN_VALUE, -3074457345618258603L, 3074457345618258602L);
    assertThat(Infrastructure.evenTokens(1)).containsExactly(Long.MIN_VALUE);
  }
}
