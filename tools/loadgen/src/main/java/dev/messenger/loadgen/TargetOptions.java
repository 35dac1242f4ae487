package dev.messenger.loadgen;

import dev.messenger.loadgen.net.FdBudget;
import dev.messenger.loadgen.net.SourceAddresses;
import dev.messenger.loadgen.run.Target;
import java.net.InetAddress;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the deployment is and how devices reach it; defaults to the local stack of ./messenger up. */
final class TargetOptions {
  @Mixin
  DeploymentOptions deployment = new DeploymentOptions();

  @Option(names = "--streams-per-connection", paramLabel = "N", defaultValue = "1",
      description = "Device streams multiplexed over one HTTP/2 (TCP) connection. 1 (default) = one connection "
          + "per device, like apps; more lets one process hold more streams than its file-descriptor limit.")
  int streamsPerConnection;

  @Option(names = "--source-addresses", paramLabel = "SPEC", defaultValue = "auto",
      description = "Local addresses for the TCP connections: 'auto' (adds 127.0.0.2, .3, ... on loopback when "
          + "one address runs out of ephemeral ports), 'none', or a list such as 127.0.0.2-127.0.0.9,127.0.1.1.")
  String sourceAddresses;

  Target toTarget(List<InetAddress> sources) {
    return new Target(deployment.targets(), deployment.key(), deployment.discovery(), streamsPerConnection, sources,
        deployment.tlsCaFile());
  }

  /**
   * The target for {@code devices} device streams in one process: checks that they fit the process's
   * file descriptors and picks source addresses for the connections.
   */
  Target resolve(int devices, int shardIndex, int processes) {
    FdBudget budget = FdBudget.current();
    budget.check(devices, streamsPerConnection, Math.max(1, processes));
    long connections = (devices + streamsPerConnection - 1L) / streamsPerConnection;
    return toTarget(SourceAddresses.resolve(sourceAddresses, firstHost(), connections, budget, shardIndex));
  }

  String firstHost() {
    String first = deployment.targets().get(0);
    int colon = first.lastIndexOf(':');
    return colon > 0 ? first.substring(0, colon) : first;
  }
}
