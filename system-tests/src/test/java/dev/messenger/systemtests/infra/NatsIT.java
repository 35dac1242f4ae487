package dev.messenger.systemtests.infra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.testing.WithRealInfrastructure;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.Subscription;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@WithRealInfrastructure
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsIT {
  private static Connection publisher;
  private static Connection subscriber;

  @BeforeAll
  static void connect(InfrastructureEndpoints endpoints) throws Exception {
    publisher = Nats.connect(endpoints.natsUrl());
    subscriber = Nats.connect(endpoints.natsUrl());
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    publisher.close();
    subscriber.close();
  }

  @Test
  void should_deliver_a_message_from_one_connection_to_another() throws Exception {
    String subject = "infra-it.core." + UUID.randomUUID();
    Subscription subscription = subscriber.subscribe(subject);
    subscriber.flush(Duration.ofSeconds(5));

    publisher.publish(subject, "hello".getBytes(UTF_8));

    Message message = subscription.nextMessage(Duration.ofSeconds(5));
    assertThat(message).isNotNull();
    assertThat(new String(message.getData(), UTF_8)).isEqualTo("hello");
  }

  @Test
  void should_store_and_replay_messages_with_jetstream() throws Exception {
    String stream = "INFRA_IT_" + UUID.randomUUID().toString().replace("-", "");
    String subject = stream.toLowerCase() + ".events";
    JetStreamManagement management = publisher.jetStreamManagement();
    management.addStream(StreamConfiguration.builder()
        .name(stream)
        .subjects(subject)
        .storageType(StorageType.File)
        .build());
    try {
      JetStream jetStream = publisher.jetStream();
      PublishAck first = jetStream.publish(subject, "first".getBytes(UTF_8));
      PublishAck second = jetStream.publish(subject, "second".getBytes(UTF_8));
      assertThat(first.getStream()).isEqualTo(stream);
      assertThat(second.getSeqno()).isEqualTo(first.getSeqno() + 1);

      JetStreamSubscription consumer = subscriber.jetStream()
          .subscribe(subject, PullSubscribeOptions.builder().durable("reader").build());
      List<Message> messages = consumer.fetch(2, Duration.ofSeconds(5));
      messages.forEach(Message::ack);

      assertThat(messages).extracting(message -> new String(message.getData(), UTF_8))
          .containsExactly("first", "second");
    } finally {
      management.deleteStream(stream);
    }
  }
}
