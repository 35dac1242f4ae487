package dev.messenger.launcher;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Names and formats of the MESSENGER_* variables that carry infrastructure endpoints between processes. */
final class EnvironmentVariables {
  static final String ETCD_ENDPOINTS = "MESSENGER_ETCD_ENDPOINTS";
  static final String NATS_URL = "MESSENGER_NATS_URL";
  static final String CQL_CONTACT_POINTS = "MESSENGER_CQL_CONTACT_POINTS";
  static final String CQL_DATACENTER = "MESSENGER_CQL_DATACENTER";
  static final String DATA_DIR = "MESSENGER_DATA_DIR";
  static final String ETCD_USER = "MESSENGER_ETCD_USER";
  static final String ETCD_PASSWORD = "MESSENGER_ETCD_PASSWORD";
  static final String NATS_USER = "MESSENGER_NATS_USER";
  static final String NATS_PASSWORD = "MESSENGER_NATS_PASSWORD";
  static final String CQL_USER = "MESSENGER_CQL_USER";
  static final String CQL_PASSWORD = "MESSENGER_CQL_PASSWORD";
  static final String CQL_TLS = "MESSENGER_CQL_TLS";
  static final String INFRA_CA_FILE = "MESSENGER_INFRA_CA_FILE";

  private EnvironmentVariables() {}

  static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** The login in variables {@code user} and {@code password}; empty unless both are set. */
  static Optional<Login> login(Map<String, String> env, String user, String password) {
    Optional<String> name = value(env, user);
    Optional<String> secret = Optional.ofNullable(env.get(password)).filter(v -> !v.isEmpty());
    return name.isPresent() && secret.isPresent() ? Optional.of(new Login(name.get(), secret.get())) : Optional.empty();
  }

  static List<String> list(Map<String, String> env, String name) {
    return value(env, name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::strip)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  static List<InetSocketAddress> hostPorts(Map<String, String> env, String name) {
    return list(env, name).stream().map(v -> parseHostPort(name, v)).toList();
  }

  static InetSocketAddress parseHostPort(String name, String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(name + ": expected host:port but got '" + value + "'");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": bad port in '" + value + "'", e);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(name + ": port out of range in '" + value + "'");
    }
    return new InetSocketAddress(host, port);
  }

  static String formatHostPort(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
