package dev.messenger.loadgen.run;

import static java.util.Objects.requireNonNull;

import dev.messenger.client.TransportSecurity;
import io.grpc.ChannelCredentials;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment under load and how the simulated devices reach it.
 *
 * @param bootstrap session server addresses ("host:port") the clients bootstrap from
 * @param tokenKey the deployment's token signing key (never written to a report)
 * @param useDiscovery whether clients ask Discovery for a session server (like apps) or stick to bootstrap
 * @param streamsPerConnection device streams multiplexed over one HTTP/2 (TCP) connection; 1 = like apps
 * @param sourceAddresses local addresses the TCP connections are spread over; empty = the system's choice
 * @param tlsCaFile the CA to trust when the deployment serves TLS; empty = plaintext
 */
public record Target(
    List<String> bootstrap,
    String tokenKey,
    boolean useDiscovery,
    int streamsPerConnection,
    List<InetAddress> sourceAddresses,
    Optional<Path> tlsCaFile) {

  public Target {
    tlsCaFile = tlsCaFile == null ? Optional.empty() : tlsCaFile;
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

  /** A deployment reached in plaintext. */
  public Target(List<String> bootstrap, String tokenKey, boolean useDiscovery, int streamsPerConnection,
      List<InetAddress> sourceAddresses) {
    this(bootstrap, tokenKey, useDiscovery, streamsPerConnection, sourceAddresses, Optional.empty());
  }

  public Target withSourceAddresses(List<InetAddress> addresses) {
    return new Target(bootstrap, tokenKey, useDiscovery, streamsPerConnection, addresses, tlsCaFile);
  }

  /** How every channel of the run reaches the deployment. */
  public ChannelCredentials credentials() {
    return TransportSecurity.of(tlsCaFile);
  }

  /** For report.json: everything but the key. */
  public Map<String, Object> toMap(boolean developmentKey) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("bootstrap", bootstrap);
    map.put("discovery", useDiscovery);
    map.put("token_key", developmentKey ? "development key" : "configured key");
    map.put("tls", tlsCaFile.map(ca -> "trusting " + ca).orElse("none (plaintext)"));
    map.put("streams_per_connection", streamsPerConnection);
    map.put("source_addresses", sourceAddresses.stream().map(InetAddress::getHostAddress).toList());
    return map;
  }
}
