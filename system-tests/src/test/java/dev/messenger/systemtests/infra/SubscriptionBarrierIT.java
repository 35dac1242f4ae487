package dev.messenger.systemtests.infra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.common.Subjects;
import dev.messenger.common.infra.SubscriptionBarrier;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@WithRealInfrastructure
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionBarrierIT {
  private static final int SUBSCRIBERS = 300;

  @Test
  void should_confirm_hundreds_of_concurrent_subscriptions_without_breaking_the_connection(
      InfrastructureEndpoints endpoints) throws Exception {
    String prefix = "barrier-it." + UUID.randomUUID() + ".";
    Set<String> received = ConcurrentHashMap.newKeySet();
    ExecutorService threads = Executors.newFixedThreadPool(64);
    try (Connection subscriber = Nats.connect(endpoints.natsUrl());
        Connection publisher = Nats.connect(endpoints.natsUrl());
        SubscriptionBarrier barrier = new SubscriptionBarrier(subscriber, new Subjects("barrierit"),
            Duration.ofSeconds(10))) {
      Dispatcher dispatcher = subscriber.createDispatcher();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < SUBSCRIBERS; i++) {
        String subject = prefix + i;
        done.add(threads.submit(() -> {
          start.await();
          dispatcher.subscribe(subject, message -> received.add(message.getSubject()));
          barrier.await();
          // Confirmed: a message published from another connection right now must arrive.
          publisher.publish(subject, "x".getBytes(UTF_8));
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == SUBSCRIBERS);
      assertThat(subscriber.getStatistics().getReconnects()).isZero();
      assertThat(subscriber.getStatus()).isEqualTo(Connection.Status.CONNECTED);
    } finally {
      threads.shutdownNow();
    }
  }
}
