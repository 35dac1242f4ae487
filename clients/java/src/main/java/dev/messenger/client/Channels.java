package dev.messenger.client;

import static java.util.Objects.requireNonNull;

import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One channel per target, made on first use and shut down when no longer needed. Event-loop only. */
final class Channels {
  private final ChannelFactory factory;
  private final Map<String, ManagedChannel> channels = new HashMap<>();

  Channels(ChannelFactory factory) {
    this.factory = requireNonNull(factory, "factory");
  }

  ManagedChannel get(String target) {
    return channels.computeIfAbsent(target, factory::create);
  }

  /** Shuts down the channels of every target not in {@code keep}. */
  void retainOnly(Set<String> keep) {
    Iterator<Map.Entry<String, ManagedChannel>> it = channels.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, ManagedChannel> entry = it.next();
      if (!keep.contains(entry.getKey())) {
        entry.getValue().shutdown();
        it.remove();
      }
    }
  }

  /** Starts a graceful shutdown of every channel and returns them, for awaiting termination. */
  List<ManagedChannel> shutdownAll() {
    List<ManagedChannel> all = List.copyOf(channels.values());
    all.forEach(ManagedChannel::shutdown);
    channels.clear();
    return all;
  }
}
