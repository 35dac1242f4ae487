package dev.messenger.history.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.GetReceiptSummaryRequest;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.ListConversationsRequest;
import dev.messenger.api.v1.SyncRequest;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.errors.ApiErrors;
import dev.messenger.common.limits.KeyedRateLimiter;
import dev.messenger.common.server.ServiceServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every History read is charged to the caller's bucket first: a user past the rate reaches no store. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HistoryReadLimitTest {
  private static final String KEY = "history-read-limit-test-key-0123456789";
  private final AtomicLong nanos = new AtomicLong();
  private final KeyedRateLimiter reads = KeyedRateLimiter.withDoubleBurst("READ_RATE_LIMITED", "history reads", 5,
      nanos::get);
  private final String name = InProcessServerBuilder.generateName();
  // No store: a call that passed the limit would fail INTERNAL, so the refusals below come from the limit.
  private final ServiceServer server = ServiceServer.start(InProcessServerBuilder.forName(name),
      List.of(new HistoryService(null, null, reads)),
      List.of(new AuthInterceptor(new Tokens(KEY, Clock.systemUTC()), Set.of())), new PrometheusRegistry());
  private final ManagedChannel channel = InProcessChannelBuilder.forName(name).build();

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void should_refuse_every_read_of_a_user_past_the_rate_with_a_retry_delay() {
    for (int i = 0; i < 10; i++) {
      assertThat(reads.acquire("alice")).isZero();
    }
    HistoryGrpc.HistoryBlockingStub alice = as("alice");
    assertLimited(() -> alice.listConversations(ListConversationsRequest.getDefaultInstance()));
    assertLimited(() -> alice.getMessages(GetMessagesRequest.newBuilder().setConversationId("dm:alice:bob").build()));
    assertLimited(() -> alice.sync(SyncRequest.getDefaultInstance()));
    assertLimited(() -> alice.getReceiptSummary(GetReceiptSummaryRequest.newBuilder()
        .setConversationId("dm:alice:bob").build()));
    assertThat(reads.acquire("bob")).as("another user's bucket is full").isZero();
  }

  @Test
  void should_charge_each_call_even_a_refused_request() {
    HistoryGrpc.HistoryBlockingStub alice = as("alice");
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> alice.listConversations(ListConversationsRequest.newBuilder().setPageSize(1_000_000)
          .build())).isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
    assertLimited(() -> alice.sync(SyncRequest.getDefaultInstance()));
  }

  private HistoryGrpc.HistoryBlockingStub as(String user) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + new Tokens(KEY, Clock.systemUTC()).issue(new Principal(user, "phone"), Duration.ofHours(1)));
    return HistoryGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static void assertLimited(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(ApiErrors.reasonOf(e)).isEqualTo("READ_RATE_LIMITED");
      assertThat(ApiErrors.retryAfterMillisOf(e)).isEqualTo(200);
    });
  }
}
