package dev.messenger.push.queue;

import dev.messenger.api.v1.PushPlatform;
import dev.messenger.push.decision.Notification;
import dev.messenger.push.provider.PushProvider;
import dev.messenger.push.provider.SendResult;
import dev.messenger.push.store.DeviceRegistration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/** The enabled providers by platform, each behind its own concurrency limit. */
public final class Providers implements AutoCloseable {
  private final Map<PushPlatform, Limited> byPlatform = new EnumMap<>(PushPlatform.class);

  /** Enables {@code provider} for {@code platform}, with at most {@code concurrency} sends in flight. */
  public Providers with(PushPlatform platform, PushProvider provider, int concurrency) {
    byPlatform.put(platform, new Limited(provider, new Semaphore(concurrency)));
    return this;
  }

  Optional<Limited> forPlatform(PushPlatform platform) {
    return Optional.ofNullable(byPlatform.get(platform));
  }

  public boolean isEnabled(PushPlatform platform) {
    return byPlatform.containsKey(platform);
  }

  @Override
  public void close() {
    byPlatform.values().forEach(limited -> limited.provider.close());
  }

  /** A provider whose sends wait for a permit (blocking the calling worker thread). */
  static final class Limited {
    private final PushProvider provider;
    private final Semaphore permits;

    private Limited(PushProvider provider, Semaphore permits) {
      this.provider = provider;
      this.permits = permits;
    }

    String name() {
      return provider.name();
    }

    CompletableFuture<SendResult> send(DeviceRegistration device, Notification notification)
        throws InterruptedException {
      permits.acquire();
      try {
        return provider.send(device, notification).whenComplete((result, error) -> permits.release());
      } catch (RuntimeException e) {
        permits.release();
        throw e;
      }
    }
  }
}
