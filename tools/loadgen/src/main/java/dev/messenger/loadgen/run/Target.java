package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment under load and how the simulated devices reach it.
 *
 * @param bootstrap session server addresses ("host:port") the clients bootstrap from
 * @param tokenKey the deployment's token signing key (never written to a report)
 * @param useDiscovery whether clients ask Discovery for a session server (like apps) or stick to bootstrap
 * @param streamsPerConnection device streams multiplexed over one HTTP/2 (TCP) connection; 1 = like apps
 * @param sourceAddresses local addresses the TCP connections are spread over; empty = the system's choice
 */
public record Target(
    List<String> bootstrap,
    String tokenKey,
    boolean useDiscovery,
    int streamsPerConnection,
    List<InetAddress> sourceAddresses) {

  public Target {
    bootstrap = List.copyOf(bootstrap);
    sourceAddresses = List.copyOf(sourceAddresses);
    requireNonNull(tokenKey, "tokenKey");
    if (bootstrap.isEmpty()) {
      throw new IllegalArgumentException("at least one target address is needed");
    }
    if (streamsPerConnection < 1) {
      throw new IllegalArgumentException("streams per connection must be at least 1");
    }
  }

  public Target withSourceAddresses(List<InetAddress> addresses) {
    return new Target(bootstrap, tokenKey, useDiscovery, streamsPerConnection, addresses);
  }

  /** For report.json: everything but the key. */
  public Map<String, Object> toMap(boolean developmentKey) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("bootstrap", bootstrap);
    map.put("discovery", useDiscovery);
    map.put("token_key", developmentKey ? "development key" : "configured key");
    map.put("streams_per_connection", streamsPerConnection);
    map.put("source_addresses", sourceAddresses.stream().map(InetAddress::getHostAddress).toList());
    return map;
  }
}
