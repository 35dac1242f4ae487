package dev.messenger.loadgen.baseline;

import dev.messenger.common.infra.InfraSettings;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * NATS alone, with jnats as our services use it: publish-to-subscribe throughput (one publisher
 * connection, one subscriber connection, as many 100-byte messages as it takes) and request-reply
 * round-trip latency at a fixed rate (what a session-to-router submit costs on the bus).
 */
final class NatsBaseline {
  private final InfraSettings infra;
  private final BaselineSettings settings;
  private final String subject;

  NatsBaseline(InfraSettings infra, BaselineSettings settings, String runId) {
    this.infra = infra;
    this.settings = settings;
    this.subject = "loadgen.baseline." + runId;
  }

  Map<String, Object> pubSub() throws IOException, InterruptedException {
    byte[] payload = new byte[settings.messageBytes()];
    LongAdder received = new LongAdder();
    try (Connection subscriber = connect("loadgen-baseline-sub");
        Connection publisher = connect("loadgen-baseline-pub")) {
      Dispatcher dispatcher = subscriber.createDispatcher(msg -> received.increment());
      dispatcher.setPendingLimits(-1, -1);
      dispatcher.subscribe(subject + ".pubsub");
      flush(subscriber, 5);
      long warmEnd = System.nanoTime() + settings.warmup().toNanos();
      long published = 0;
      while (System.nanoTime() < warmEnd) {
        publisher.publish(subject + ".pubsub", payload);
        published++;
      }
      long startCount = received.sum();
      long startPublished = published;
      long start = System.nanoTime();
      long end = start + settings.duration().toNanos();
      while (System.nanoTime() < end) {
        publisher.publish(subject + ".pubsub", payload);
        published++;
      }
      long elapsed = System.nanoTime() - start;
      long inWindow = received.sum() - startCount;
      flush(publisher, 10);
      long dropped = subscriber.getStatistics().getDroppedCount();
      return new PartReport()
          .scenario("what", "publish as fast as possible on one connection, count on a subscriber connection")
          .scenario("message_bytes", settings.messageBytes())
          .throughput("msgs_per_s", inWindow / (elapsed / 1e9))
          .throughput("published_per_s", (published - startPublished) / (elapsed / 1e9))
          .error("dropped_by_client", dropped)
          .toMap();
    }
  }

  Map<String, Object> requestReply() throws IOException, InterruptedException {
    byte[] payload = new byte[settings.messageBytes()];
    try (Connection responder = connect("loadgen-baseline-responder");
        Connection requester = connect("loadgen-baseline-requester")) {
      Dispatcher dispatcher = responder.createDispatcher(msg -> responder.publish(msg.getReplyTo(), msg.getData()));
      dispatcher.subscribe(subject + ".rpc");
      flush(responder, 5);
      OpenLoop.run(settings.latencyRate(), settings.warmup(), at -> requester.request(subject + ".rpc", payload));
      OpenLoop.Result result =
          OpenLoop.run(settings.latencyRate(), settings.duration(), at -> requester.request(subject + ".rpc", payload));
      return new PartReport()
          .scenario("what", "request-reply round trips at a fixed rate (open loop)")
          .scenario("rate_per_s", settings.latencyRate())
          .throughput("msgs_per_s", (result.fired() - result.failed()) / result.seconds())
          .latency("rtt", result.micros())
          .error("failed", result.failed())
          .toMap();
    }
  }

  private static void flush(Connection connection, int seconds) throws InterruptedException {
    try {
      connection.flush(Duration.ofSeconds(seconds));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("NATS did not answer a flush within " + seconds + " s", e);
    }
  }

  private Connection connect(String name) throws IOException, InterruptedException {
    Options.Builder options = new Options.Builder()
        .server(infra.natsUrl())
        .connectionName(name)
        .maxMessagesInOutgoingQueue(1_000_000)
        .connectionTimeout(Duration.ofSeconds(5));
    infra.natsCredentials().ifPresent(c -> options.userInfo(c.user(), c.password()));
    return Nats.connect(options.build());
  }
}
