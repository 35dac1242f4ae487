package dev.messenger.stack;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Each service's own ports into the local etcd (one on each member), and the {@link PortCut} that cuts them; or,
 * where iptables cannot be used, why not, so that a cut request can answer it.
 */
final class EtcdCuts implements AutoCloseable {
  private final Map<String, List<Integer>> portsByService;
  private final Optional<PortCut> portCut;
  private final String unavailable;

  private EtcdCuts(Map<String, List<Integer>> portsByService, Optional<PortCut> portCut, String unavailable) {
    this.portsByService = Map.copyOf(portsByService);
    this.portCut = portCut;
    this.unavailable = unavailable;
  }

  /** None: etcd is not local, so no path of a service to it can be cut. */
  static EtcdCuts none() {
    return new EtcdCuts(Map.of(), Optional.empty(), "etcd is not local");
  }

  /**
   * For {@code endpointsByService} (each service's etcd URLs), through a chain named {@code chain}; without
   * iptables the stack still runs and each cut answers why it cannot be done.
   */
  static EtcdCuts open(Map<String, List<String>> endpointsByService, String chain) {
    Map<String, List<Integer>> ports = endpointsByService.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, e -> e.getValue().stream().map(url -> URI.create(url).getPort()).toList()));
    try {
      return new EtcdCuts(ports, Optional.of(PortCut.open(chain)), "");
    } catch (IptablesException e) {
      return new EtcdCuts(ports, Optional.empty(), "cutting needs iptables: " + e.getMessage());
    }
  }

  boolean hasPathFor(String service) {
    return portsByService.containsKey(service);
  }

  /** The chain the cuts go in, or why there is none. */
  String describe() {
    return portCut.map(cut -> "iptables chain " + cut.chain()).orElse("no cuts: " + unavailable);
  }

  /**
   * Drops every packet between {@code service} and etcd for {@code duration}, then lets them through again.
   *
   * @throws IptablesException if iptables cannot be used here, or refused a rule
   */
  void cutFor(String service, Duration duration) throws InterruptedException {
    PortCut cut = portCut.orElseThrow(() -> new IptablesException(unavailable));
    cut.cutFor(portsByService.get(service), duration);
  }

  @Override
  public void close() {
    portCut.ifPresent(PortCut::close);
  }
}
