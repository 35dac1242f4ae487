package dev.messenger.push;

import dev.messenger.common.auth.TokenKeys;
import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import dev.messenger.common.config.Settings;
import dev.messenger.push.decision.RetryPolicy;
import dev.messenger.push.provider.ProviderConfig;
import dev.messenger.push.store.PushStoreConfig;
import dev.messenger.common.server.ServerTls;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Push instance settings; see {@link #from(Settings, String)} for the flag names.
 *
 * @param delay a device is notified only if it has not received the message this long after its commit
 * @param maxDeferral a burst defers a device's notification by at most this long after a message's commit
 * @param retry backoff and attempts for transient provider failures
 * @param workers jobs handled at once by this instance
 * @param ackWait how long a job in hand stays invisible to other instances (redelivered after a crash)
 */
public record PushConfig(
    String instanceId,
    String grpcHost,
    int grpcPort,
    int metricsPort,
    TokenKeys tokenKey,
    PushStoreConfig store,
    Subjects subjects,
    Duration delay,
    Duration maxDeferral,
    RetryPolicy retry,
    int workers,
    Duration ackWait,
    ProviderConfig providers,
    Optional<ServerTls> tls) {

  public PushConfig {
    tls = tls == null ? Optional.empty() : tls;
    if (instanceId == null || instanceId.isBlank()) {
      instanceId = "push-" + UUID.randomUUID().toString().substring(0, 8);
    }
    requireNonNull(grpcHost, "grpcHost");
    requireNonNull(tokenKey, "tokenKey");
    requireNonNull(store, "store");
    requireNonNull(subjects, "subjects");
    requireNonNull(retry, "retry");
    requireNonNull(providers, "providers");
    if (delay.isNegative() || maxDeferral.compareTo(delay) < 0 || workers < 1 || workers > 1024
        || ackWait.toSeconds() < 5) {
      throw new IllegalArgumentException("invalid push settings: delay >= 0, max-deferral >= delay, "
          + "1 <= workers <= 1024, ack-wait >= 5s");
    }
  }

  /** Delay 3 s, bursts deferred at most 30 s, retries {@link RetryPolicy#defaults()}, 32 workers, ack wait 60 s. */
  public static PushConfig defaults(String tokenKey) {
    return new PushConfig("", "127.0.0.1", 7500, 9500, TokenKeys.of(tokenKey), PushStoreConfig.defaults(),
        Subjects.defaults(),
        Duration.ofSeconds(3), Duration.ofSeconds(30), RetryPolicy.defaults(), 32, Duration.ofSeconds(60),
        ProviderConfig.none(), Optional.empty());
  }

  /**
   * Reads {@code instance-id}, {@code grpc-host}, {@code grpc-port} (7500), {@code metrics-port} (9500),
   * {@code token-key}, {@code namespace}, {@code delay}, {@code max-deferral}, {@code max-attempts},
   * {@code retry-initial}, {@code retry-max}, {@code workers}, {@code ack-wait}, the providers' settings
   * ({@link ProviderConfig#from}) and the store's {@code cql-*} settings.
   */
  public static PushConfig from(Settings s, TokenKeys tokenKeys) {
    PushConfig d = defaults(tokenKeys.signing());
    return new PushConfig(
        s.string("instance-id", ""),
        s.string("grpc-host", d.grpcHost()),
        s.integer("grpc-port", d.grpcPort()),
        s.integer("metrics-port", d.metricsPort()),
        tokenKeys,
        PushStoreConfig.from(s),
        new Subjects(s.string("namespace", Subjects.DEFAULT_NAMESPACE)),
        s.duration("delay", d.delay()),
        s.duration("max-deferral", d.maxDeferral()),
        new RetryPolicy(s.duration("retry-initial", d.retry().initial()), s.duration("retry-max", d.retry().max()),
            s.integer("max-attempts", d.retry().maxAttempts())),
        s.integer("workers", d.workers()),
        s.duration("ack-wait", d.ackWait()),
        ProviderConfig.from(s), ServerTls.from(s));
  }

  public PushConfig withInstanceId(String id) {
    return new PushConfig(id, grpcHost, grpcPort, metricsPort, tokenKey, store, subjects, delay, maxDeferral, retry,
        workers, ackWait, providers, tls);
  }

  /** gRPC and metrics on any free port (tests). */
  public PushConfig withEphemeralPorts() {
    return new PushConfig(instanceId, grpcHost, 0, 0, tokenKey, store, subjects, delay, maxDeferral, retry, workers,
        ackWait, providers, tls);
  }

  public PushConfig withStore(PushStoreConfig newStore) {
    return new PushConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, newStore, subjects, delay,
        maxDeferral, retry, workers, ackWait, providers, tls);
  }

  public PushConfig withSubjects(Subjects newSubjects) {
    return new PushConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, newSubjects, delay,
        maxDeferral, retry, workers, ackWait, providers, tls);
  }

  public PushConfig withTimings(Duration newDelay, Duration newMaxDeferral, RetryPolicy newRetry, Duration newAckWait) {
    return new PushConfig(instanceId, grpcHost, grpcPort, metricsPort, tokenKey, store, subjects, newDelay,
        newMaxDeferral, newRetry, workers, newAckWait, providers, tls);
  }
}
