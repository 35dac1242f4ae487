package dev.messenger.history;

import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.limits.KeyedRateLimiter;
import dev.messenger.common.limits.RateLimitMetrics;
import dev.messenger.common.server.ServiceServer;
import dev.messenger.history.api.HistoryService;
import dev.messenger.history.store.HistoryStore;
import io.grpc.BindableService;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Set;

/** Wires the History gRPC service the same way for {@code main} and for tests (which pass an in-process builder). */
public final class HistoryServer {
  private HistoryServer() {}

  /** As {@link #start(ServerBuilder, HistoryStore, Tokens, PrometheusRegistry, int)} at the default read rate. */
  public static ServiceServer start(
      ServerBuilder<?> builder, HistoryStore store, Tokens tokens, PrometheusRegistry registry) {
    return start(builder, store, tokens, registry, HistoryService.DEFAULT_READ_RATE);
  }

  /**
   * Starts the History service on {@code builder} with token authentication, health, metrics and error mapping;
   * each user may read {@code readRatePerSecond} times a second (bursts of twice that).
   */
  public static ServiceServer start(ServerBuilder<?> builder, HistoryStore store, Tokens tokens,
      PrometheusRegistry registry, int readRatePerSecond) {
    KeyedRateLimiter reads = KeyedRateLimiter.withDoubleBurst("READ_RATE_LIMITED", "history reads",
        readRatePerSecond, System::nanoTime);
    RateLimitMetrics.register(registry, List.of(reads));
    List<BindableService> services = List.of(new HistoryService(store.reader(), store.receipts(), reads));
    List<ServerInterceptor> interceptors = List.of(new AuthInterceptor(tokens, Set.of()));
    return ServiceServer.start(builder, services, interceptors, registry);
  }
}
