package dev.messenger.launcher;

import java.nio.file.Path;

/**
 * A minimal cassandra.yaml for one local node whose files all live under one directory.
 *
 * <p>A node alone syncs its commit log before a write is acknowledged. With Cassandra's default
 * ({@code periodic}, every 10 s) a node killed with -9 came back without the writes of the last period: replay
 * stops at the last sync marker. It syncs as soon as a write asks ({@code batch}; writes that arrive during a
 * sync share the next one), not in 2 ms {@code group}s: a group makes every write wait for the next tick of
 * the window, on average half of it, and the message log's write is on the acknowledgement path. Session 20
 * chose groups when the projection still wrote row by row (the store's CPU fell by a quarter); with the
 * projection's writes packed into few requests, session 25 measured {@code batch} 0.7-1.5 ms faster at the
 * median at 100 messages a second with no CPU cost above the noise (docs/measurements.md). A node of a
 * cluster keeps the default, as production does: with three replicas and QUORUM writes an acknowledged write
 * is on two nodes, and the loss of one loses nothing.
 */
final class CassandraYaml {
  private CassandraYaml() {}

  private static final String AUTHENTICATION = """
      authenticator:
        class_name: org.apache.cassandra.auth.PasswordAuthenticator
      authorizer:
        class_name: org.apache.cassandra.auth.CassandraAuthorizer
      role_manager:
        class_name: org.apache.cassandra.auth.CassandraRoleManager
      """;

  /**
   * Clients must speak TLS (not optional) to the native port, which presents the key and certificate chain
   * in {@code keyAndChain} (one PEM file, read by Cassandra's PEM factory); internode traffic stays plaintext.
   */
  static String clientEncryption(Path keyAndChain) {
    return """
        client_encryption_options:
          enabled: true
          optional: false
          ssl_context_factory:
            class_name: org.apache.cassandra.security.PEMBasedSslContextFactory
          keystore: %s
        """.formatted(Quoting.quoted(keyAndChain.toString()));
  }

  static String render(Path directory, int storagePort, int nativePort) {
    return render(directory, storagePort, nativePort, false);
  }

  /** With {@code authentication}, clients must log in as a role and may do only what the role was granted. */
  static String render(Path directory, int storagePort, int nativePort, boolean authentication) {
    return render(directory, "127.0.0.1", "127.0.0.1:" + storagePort, storagePort, nativePort, null)
        + (authentication ? AUTHENTICATION : "");
  }

  /**
   * One node of a local cluster: its own loopback address, every node a seed, and a fixed token of its own
   * without bootstrap streaming (a new, empty cluster), so that the nodes can start at the same time.
   */
  static String renderMember(Path directory, String address, String seeds, int storagePort, int nativePort,
      long initialToken) {
    return renderMember(directory, address, seeds, storagePort, nativePort, initialToken, false);
  }

  static String renderMember(Path directory, String address, String seeds, int storagePort, int nativePort,
      long initialToken, boolean authentication) {
    return render(directory, address, seeds, storagePort, nativePort, Long.toString(initialToken))
        + (authentication ? AUTHENTICATION : "");
  }

  private static String render(Path directory, String address, String seeds, int storagePort, int nativePort,
      String initialToken) {
    String member = initialToken == null
        ? "commitlog_sync: batch\n"
        : "initial_token: " + initialToken + "\nauto_bootstrap: false\ncommitlog_sync: periodic\n"
            + "commitlog_sync_period: 10000ms\n";
    return member + """
        cluster_name: messenger
        num_tokens: 1
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%8$s"
        listen_address: %9$s
        rpc_address: %9$s
        storage_port: %1$d
        native_transport_port: %2$d
        start_native_transport: true
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
            Quoting.quoted(directory.resolve("cdc_raw").toString()),
            seeds,
            address);
  }
}
