package dev.messenger.presence.cluster;

import static java.util.Objects.requireNonNull;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the session servers registered in etcd under {@code /<ns>/sessions/<id>} (leased keys): when
 * a key goes (graceful stop or lease expiry after a crash) the listener hears {@code serverGone}. After a
 * broken watch it lists the servers again and reports those that vanished meanwhile.
 */
public final class SessionServerWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionServerWatch.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  /** Told of session servers appearing and disappearing. */
  public interface Listener {
    void serverGone(String serverId);

    void serverSeen(String serverId);
  }

  private final Client etcd;
  private final String prefix;
  private final Listener listener;
  private final ScheduledExecutorService retry;
  private final Set<String> known = new HashSet<>();
  private Watch.Watcher watcher;
  private boolean closed;

  /** Watches {@code prefix} ({@code /<ns>/sessions/}, where session servers register). */
  public SessionServerWatch(Client etcd, String prefix, Listener listener, ScheduledExecutorService retry) {
    this.etcd = requireNonNull(etcd, "etcd");
    this.prefix = requireNonNull(prefix, "prefix");
    this.listener = requireNonNull(listener, "listener");
    this.retry = requireNonNull(retry, "retry");
  }

  /** Lists the servers and starts watching; retries in the background if etcd does not answer. */
  public synchronized void start() {
    connect();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  private synchronized void connect() {
    if (closed) {
      return;
    }
    ByteSequence prefixBytes = bytes(prefix);
    try {
      GetResponse current = etcd.getKVClient()
          .get(prefixBytes, GetOption.builder().isPrefix(true).build())
          .get(5, TimeUnit.SECONDS);
      Set<String> now = new HashSet<>();
      for (KeyValue kv : current.getKvs()) {
        now.add(idOf(kv));
      }
      for (String gone : Set.copyOf(known)) {
        if (!now.contains(gone)) {
          known.remove(gone);
          listener.serverGone(gone);
        }
      }
      for (String seen : now) {
        if (known.add(seen)) {
          listener.serverSeen(seen);
        }
      }
      WatchOption option = WatchOption.builder()
          .isPrefix(true)
          .withRevision(current.getHeader().getRevision() + 1)
          .build();
      watcher = etcd.getWatchClient().watch(prefixBytes, option, Watch.listener(this::onEvents, this::onError));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("cannot watch session servers in etcd, retrying: {}", e.toString());
      retry.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void onEvents(WatchResponse response) {
    for (WatchEvent event : response.getEvents()) {
      String id = idOf(event.getKeyValue());
      switch (event.getEventType()) {
        case PUT -> {
          if (known.add(id)) {
            listener.serverSeen(id);
          }
        }
        case DELETE -> {
          known.remove(id);
          log.info("session server {} is gone; dropping its streams", id);
          listener.serverGone(id);
        }
        default -> { }
      }
    }
  }

  private synchronized void onError(Throwable error) {
    if (closed) {
      return;
    }
    log.warn("session server watch broke, re-listing: {}", error.toString());
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    retry.schedule(this::connect, RETRY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String idOf(KeyValue kv) {
    return kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length());
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
