package dev.messenger.session;

import dev.messenger.api.v1.SessionServer;
import dev.messenger.common.etcd.EtcdRegistration;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The live session servers in etcd: each registers {@code /<ns>/sessions/<id> = "<address> <streams>"}
 * under a lease, so a server that dies disappears within the lease TTL.
 */
final class SessionDirectory implements AutoCloseable {
  private final Client etcd;
  private final String prefix;
  private final String serverId;
  private final String address;
  private EtcdRegistration registration;
  private Duration ttl;
  private int lastReported = -1;
  private CompletableFuture<List<SessionServer>> lastList;
  private long lastListAt;
  static final Duration LIST_REUSE = Duration.ofSeconds(1);

  SessionDirectory(Client etcd, String prefix, String serverId, String address) {
    this.etcd = etcd;
    this.prefix = prefix;
    this.serverId = serverId;
    this.address = address;
  }

  synchronized void register(Duration leaseTtl) {
    ttl = leaseTtl;
    registration = EtcdRegistration.register(etcd, prefix + serverId, value(0), ttl);
    lastReported = 0;
  }

  /**
   * Publishes the current stream count when it changed, and registers again under a new lease when the
   * old one may have expired (etcd unreachable for longer than the TTL): otherwise this live server would
   * stay invisible to discovery and presence.
   */
  synchronized void report(int streams) {
    if (registration != null && registration.sinceLastRenewal().compareTo(ttl) > 0) {
      registration.close();
      registration = EtcdRegistration.register(etcd, prefix + serverId, value(streams), ttl);
      lastReported = streams;
      return;
    }
    if (registration != null && streams != lastReported) {
      registration.update(value(streams));
      lastReported = streams;
    }
  }

  /**
   * Live servers, fewest streams first. Calls within {@link #LIST_REUSE} of a read share it: a reconnect
   * storm costs etcd one read per interval per session server, not one per device.
   */
  synchronized CompletionStage<List<SessionServer>> list() {
    long now = System.nanoTime();
    if (lastList == null || now - lastListAt >= LIST_REUSE.toNanos()) {
      CompletableFuture<List<SessionServer>> read = readList().toCompletableFuture();
      lastList = read;
      lastListAt = now;
      read.whenComplete((servers, error) -> {
        if (error != null) {
          forget(read); // a failed read is not kept for the next caller
        }
      });
    }
    return lastList;
  }

  private synchronized void forget(CompletableFuture<List<SessionServer>> failed) {
    if (lastList == failed) {
      lastList = null;
    }
  }

  private CompletionStage<List<SessionServer>> readList() {
    ByteSequence prefixBytes = ByteSequence.from(prefix, StandardCharsets.UTF_8);
    return etcd.getKVClient().get(prefixBytes, GetOption.builder().isPrefix(true).build()).thenApply(response -> {
      List<SessionServer> servers = new ArrayList<>();
      for (KeyValue kv : response.getKvs()) {
        String id = kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length());
        String[] parts = kv.getValue().toString(StandardCharsets.UTF_8).split(" ");
        int streams = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        servers.add(SessionServer.newBuilder().setServerId(id).setAddress(parts[0]).setStreams(streams).build());
      }
      servers.sort(Comparator.comparingInt(SessionServer::getStreams).thenComparing(SessionServer::getServerId));
      return servers;
    });
  }

  /** Removes this server from discovery at once (drain starts here). */
  @Override
  public synchronized void close() {
    if (registration != null) {
      registration.close();
      registration = null;
    }
  }

  private String value(int streams) {
    return address + " " + streams;
  }
}
