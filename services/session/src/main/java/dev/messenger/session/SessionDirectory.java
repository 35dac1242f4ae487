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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live session servers in etcd: each registers {@code /<ns>/sessions/<id> = "<address> <streams>"}
 * under a lease, so a server that dies disappears within the lease TTL.
 */
final class SessionDirectory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionDirectory.class);
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
    lastReported = 0;
    registration = registerNow(value(0));
  }

  private EtcdRegistration registerNow(String value) {
    EtcdRegistration[] made = new EtcdRegistration[1];
    made[0] = EtcdRegistration.register(etcd, prefix + serverId, value, ttl, () -> reRegisterIfStill(made[0]));
    return made[0];
  }

  /** The lease expired (etcd unreachable or this process stalled past the TTL): come back at once. */
  private synchronized void reRegisterIfStill(EtcdRegistration expired) {
    if (registration != null && registration == expired) {
      try {
        registration = registerNow(value(lastReported));
      } catch (IllegalStateException unreachable) {
        log.warn("session server {} could not register again yet: {}", serverId, unreachable.toString());
      }
    }
  }

  /**
   * Publishes the current stream count when it changed, and registers again if the lease expired and the
   * immediate re-registration failed (etcd was still unreachable): otherwise this live server would stay
   * invisible to discovery and presence. A lease that is merely late is not revoked: that would delete the
   * key and make presence drop every stream of this server.
   */
  synchronized void report(int streams) {
    if (registration != null && registration.lost()) {
      registration = registerNow(value(streams));
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
