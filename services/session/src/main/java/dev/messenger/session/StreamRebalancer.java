package dev.messenger.session;

import dev.messenger.api.v1.SessionServer;
import dev.messenger.common.errors.ApiErrors;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands devices to session servers that have fewer. A server back from a restart starts empty while the others
 * hold everyone, and without this the next restart in a rolling upgrade would drain every device at once. Each
 * round (a second), a server holding more than its share (the average over the live servers, plus a dead band)
 * closes up to half its excess, at most {@code perRound}, of its settled streams with
 * UNAVAILABLE/SERVER_REBALANCING; their devices reconnect through Discovery, which sends them to the server
 * with the fewest streams, and resume from their cursors. Halving the excess keeps two servers whose counts
 * reach each other late (reported once a second) from handing the same devices back and forth.
 */
final class StreamRebalancer {
  private static final Logger log = LoggerFactory.getLogger(StreamRebalancer.class);
  /** Below this excess a move costs more reconnects than the imbalance is worth. */
  static final int MIN_EXCESS = StreamMoves.REBALANCE_DEAD_BAND;

  private final String serverId;
  private final int perRound;
  private final Supplier<CompletionStage<List<SessionServer>>> directory;
  private final Predicate<String> isLive;
  private final LocalStreams streams;
  private final BooleanSupplier draining;
  private final Executor executor;

  /** {@code executor} closes the streams, not the directory's I/O thread that answers the read. */
  StreamRebalancer(String serverId, int perRound, Supplier<CompletionStage<List<SessionServer>>> directory,
      Predicate<String> isLive, LocalStreams streams, BooleanSupplier draining, Executor executor) {
    this.serverId = serverId;
    this.perRound = perRound;
    this.directory = directory;
    this.isLive = isLive;
    this.streams = streams;
    this.draining = draining;
    this.executor = executor;
  }

  /** How many streams a server holding {@code own} should hand over, given the live others' counts. */
  static int toMove(int own, List<Integer> others, int perRound) {
    if (others.isEmpty() || perRound < 1) {
      return 0;
    }
    long total = own;
    for (int count : others) {
      total += count;
    }
    long share = total / (others.size() + 1);
    long excess = own - share;
    if (excess <= Math.max(MIN_EXCESS, share / 20)) {
      return 0;
    }
    return (int) Math.min(perRound, Math.max(1, excess / 2));
  }

  void round() {
    if (draining.getAsBoolean()) {
      return;
    }
    directory.get().whenCompleteAsync((servers, error) -> {
      if (error != null) {
        log.debug("no rebalancing this round: the directory could not be read: {}", error.toString());
      } else if (!draining.getAsBoolean()) {
        moveExcess(servers);
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
    int count = toMove(own, others, perRound);
    if (count == 0) {
      return;
    }
    List<DeviceStream> moving = streams.all().stream().filter(DeviceStream::settled).limit(count).toList();
    moving.forEach(stream -> stream.close(ApiErrors.unavailable("SERVER_REBALANCING",
        "this server holds more than its share of devices; reconnect through Discovery")));
    log.info("session server {} handed {} of its {} streams to emptier servers (others hold {})", serverId,
        moving.size(), own, others);
  }
}
