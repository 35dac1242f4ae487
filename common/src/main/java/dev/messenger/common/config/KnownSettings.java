package dev.messenger.common.config;

import static dev.messenger.common.config.ServiceName.HISTORY;
import static dev.messenger.common.config.ServiceName.PRESENCE;
import static dev.messenger.common.config.ServiceName.PUSH;
import static dev.messenger.common.config.ServiceName.ROUTER;
import static dev.messenger.common.config.ServiceName.SESSION;
import static dev.messenger.common.config.ServiceName.WEBGATEWAY;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every setting any messenger process reads, and which services read it: the one registry behind strict
 * configuration. {@code ./messenger up} hands every service the same MESSENGER_* variables, so a variable is
 * an error only when no process knows it; a flag is given to one process, so it is an error unless that
 * service reads it. A setting read by a service but missing here fails that service's config tests.
 */
public final class KnownSettings {
  /** Prefix of the environment variables that carry settings. */
  public static final String VARIABLE_PREFIX = "MESSENGER_";

  private static final Set<ServiceName> BACKENDS = EnumSet.of(SESSION, ROUTER, HISTORY, PRESENCE, PUSH);
  private static final Set<ServiceName> ON_NATS = EnumSet.of(SESSION, ROUTER, PRESENCE, PUSH);
  private static final Set<ServiceName> VERIFY_TOKENS = EnumSet.of(SESSION, HISTORY, PRESENCE, PUSH, WEBGATEWAY);
  private static final Map<String, Set<ServiceName>> READERS = readers();

  private KnownSettings() {}

  private static Map<String, Set<ServiceName>> readers() {
    Map<String, Set<ServiceName>> m = new TreeMap<>();
    add(m, BACKENDS, "grpc-host", "grpc-port", "metrics-host", "metrics-port",
        "etcd-endpoints", "etcd-user", "etcd-password", "nats-url", "nats-user", "nats-password",
        "cql-contact-points", "cql-datacenter", "cql-keyspace", "cql-replication", "cql-consistency", "cql-user",
        "cql-password", "cql-tls", "infra-ca-file", "tls-cert-file", "tls-key-file");
    add(m, EnumSet.of(SESSION, ROUTER, HISTORY), "cql-serial-consistency");
    add(m, ON_NATS, "namespace");
    add(m, VERIFY_TOKENS, "token-key", "token-previous-key", "token-previous-key-until", "dev-mode");
    add(m, EnumSet.of(SESSION, ROUTER), "shards");
    add(m, EnumSet.of(SESSION, ROUTER, PRESENCE), "lease-ttl");
    add(m, EnumSet.of(ROUTER, PRESENCE), "reconcile-interval");
    add(m, EnumSet.of(PRESENCE, PUSH), "instance-id");
    add(m, EnumSet.of(HISTORY), "shutdown-grace", "read-rate");
    add(m, EnumSet.of(SESSION, PRESENCE), "watch-rate");
    add(m, EnumSet.of(SESSION), "server-id", "advertised-host", "heartbeat-interval", "send-rate", "send-window",
        "max-queued-frames", "submit-timeout", "drain-grace", "drain-rate", "rebalance-rate", "connect-rate",
        "receipt-rate");
    add(m, EnumSet.of(ROUTER), "router-id", "worker-threads", "fence");
    add(m, EnumSet.of(PRESENCE), "partitions", "grace", "online-delay", "warmup", "refresh-interval", "tick",
        "max-contacts");
    add(m, EnumSet.of(PUSH), "delay", "max-deferral", "retry-initial", "retry-max", "max-attempts", "workers",
        "ack-wait", "apns-key-file", "apns-team-id", "apns-key-id", "apns-cert-file", "apns-cert-password",
        "apns-server", "apns-trust-cert", "apns-concurrency", "fcm-credentials-file", "fcm-server",
        "fcm-trust-cert", "fcm-concurrency");
    add(m, EnumSet.of(WEBGATEWAY), "host", "port", "web-root", "session-targets", "history-target",
        "presence-target", "push-target");
    // The CA that callers of TLS gRPC ports trust: the web gateway, and the tools (./messenger up's health
    // probe, chat, the load generator), which read it outside Settings' strictness.
    add(m, EnumSet.of(WEBGATEWAY), "tls-ca-file");
    // Read outside the services (./messenger, the launcher, the logging configuration) but present in every
    // service's environment when ./messenger starts it.
    add(m, EnumSet.noneOf(ServiceName.class), "data-dir", "skip-build", "log-level", "log-format");
    return Collections.unmodifiableMap(m);
  }

  private static void add(Map<String, Set<ServiceName>> m, Set<ServiceName> readers, String... names) {
    for (String name : names) {
      m.computeIfAbsent(name, n -> EnumSet.noneOf(ServiceName.class)).addAll(readers);
    }
  }

  /** The flag-style names ({@code grpc-port}) that {@code service} reads. */
  public static Set<String> namesOf(ServiceName service) {
    Set<String> names = new TreeSet<>();
    READERS.forEach((name, readers) -> {
      if (readers.contains(service)) {
        names.add(name);
      }
    });
    return names;
  }

  /** Every known name, flag style. */
  public static Set<String> allNames() {
    return READERS.keySet();
  }

  /** The services reading {@code name}; empty when none (or when only tools read it). */
  public static Set<ServiceName> readersOf(String name) {
    Set<ServiceName> readers = READERS.get(name);
    return readers == null ? Set.of() : Collections.unmodifiableSet(readers);
  }

  /** {@code grpc-port} → {@code MESSENGER_GRPC_PORT}. */
  public static String variableName(String name) {
    return VARIABLE_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** {@code MESSENGER_GRPC_PORT} → {@code grpc-port}; the argument must start with the prefix. */
  static String nameOfVariable(String variable) {
    return variable.substring(VARIABLE_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
