package dev.messenger.session;

import dev.messenger.api.v1.SessionServer;
import dev.messenger.common.errors.ApiErrors;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands devices to session servers that have fewer. A server back from a restart starts empty while the others
 * hold everyone, and without this the next restart in a rolling upgrade would drain every device at once. Each
 * round (a second), a server holding more than its share of the live servers' streams closes some of its
 * settled streams (how many: {@link RebalancePace}) with UNAVAILABLE/SERVER_REBALANCING; their devices
 * reconnect through Discovery, which sends them to the server with the fewest streams, and resume from their
 * cursors.
 */
final class StreamRebalancer {
  private static final Logger log = LoggerFactory.getLogger(StreamRebalancer.class);

  private final String serverId;
  private final RebalancePace pace;
  private final Supplier<CompletionStage<List<SessionServer>>> directory;
  private final Predicate<String> isLive;
  private final LocalStreams streams;
  private final BooleanSupplier draining;
  private final Executor executor;
  private final AtomicBoolean roundPending = new AtomicBoolean();

  /** {@code executor} runs the rounds' decisions and closes the streams, never two at a time. */
  StreamRebalancer(String serverId, int perRound, Supplier<CompletionStage<List<SessionServer>>> directory,
      Predicate<String> isLive, LocalStreams streams, BooleanSupplier draining, Executor executor) {
    this.serverId = serverId;
    this.pace = new RebalancePace(perRound);
    this.directory = directory;
    this.isLive = isLive;
    this.streams = streams;
    this.draining = draining;
    this.executor = executor;
  }

  void round() {
    if (draining.getAsBoolean() || !roundPending.compareAndSet(false, true)) {
      return; // a slow directory read: rounds must not pile up and then move devices back to back
    }
    directory.get().whenCompleteAsync((servers, error) -> {
      try {
        if (error != null) {
          log.debug("no rebalancing this round: the directory could not be read: {}", error.toString());
        } else if (!draining.getAsBoolean()) {
          moveExcess(servers);
        }
      } catch (RuntimeException e) {
        log.warn("rebalancing round failed: {}", e.toString());
      } finally {
        roundPending.set(false);
      }
    }, executor);
  }

  private void moveExcess(List<SessionServer> servers) {
    if (servers.stream().noneMatch(server -> server.getServerId().equals(serverId))) {
      return; // not registered right now: the others cannot count the devices it would send them
    }
    List<Integer> others = servers.stream()
        .filter(server -> !server.getServerId().equals(serverId) && isLive.test(server.getServerId()))
        .map(SessionServer::getStreams)
        .toList();
    int own = streams.count();
    long now = System.nanoTime();
    int count = pace.toMove(now, own, others);
    if (count == 0) {
      return;
    }
    List<DeviceStream> moving = streams.all().stream().filter(DeviceStream::settled).limit(count).toList();
    moving.forEach(stream -> stream.close(ApiErrors.unavailable("SERVER_REBALANCING",
        "this server holds more than its share of devices; reconnect through Discovery")));
    pace.moved(now, moving.size());
    if (!moving.isEmpty()) {
      log.info("session server {} handed {} of its {} streams to emptier servers (others published {})",
          serverId, moving.size(), own, others);
    }
  }
}
