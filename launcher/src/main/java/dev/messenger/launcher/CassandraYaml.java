package dev.messenger.launcher;

import java.nio.file.Path;

/** A minimal cassandra.yaml for one local node whose files all live under one directory. */
final class CassandraYaml {
  private CassandraYaml() {}

  static String render(Path directory, int storagePort, int nativePort) {
    return """
        cluster_name: messenger
        num_tokens: 1
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "127.0.0.1:%1$d"
        listen_address: 127.0.0.1
        rpc_address: 127.0.0.1
        storage_port: %1$d
        native_transport_port: %2$d
        start_native_transport: true
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        data_file_directories:
          - %3$s
        commitlog_directory: %4$s
        saved_caches_directory: %5$s
        hints_directory: %6$s
        cdc_raw_directory: %7$s
        auto_snapshot: false
        hinted_handoff_enabled: false
        dynamic_snitch: false
        storage_compatibility_mode: NONE
        """.formatted(
            storagePort,
            nativePort,
            Quoting.quoted(directory.resolve("data").toString()),
            Quoting.quoted(directory.resolve("commitlog").toString()),
            Quoting.quoted(directory.resolve("saved_caches").toString()),
            Quoting.quoted(directory.resolve("hints").toString()),
            Quoting.quoted(directory.resolve("cdc_raw").toString()));
  }
}
