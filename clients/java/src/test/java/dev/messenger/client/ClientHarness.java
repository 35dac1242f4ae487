package dev.messenger.client;

import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake server plus a client builder wired to it with in-process channels and fast backoff. */
final class ClientHarness implements AutoCloseable {
  static final BackoffSettings FAST =
      new BackoffSettings(Duration.ofMillis(5), Duration.ofMillis(50), 2.0, Duration.ofSeconds(10));

  final FakeMessengerServer server = new FakeMessengerServer("fake-" + UUID.randomUUID());
  final RecordingListener listener = new RecordingListener();
  final AtomicInteger tokensIssued = new AtomicInteger();
  private final List<Runnable> closeables = new ArrayList<>();

  /** A builder with every test default set; tests override what they need. */
  MessengerClient.Builder builder() {
    return MessengerClient.builder()
        .target(server.name())
        .tokenSupplier(() -> "token-" + tokensIssued.incrementAndGet())
        .channelFactory(target -> InProcessChannelBuilder.forName(target).build())
        .listener(listener)
        .backoff(FAST);
  }

  MessengerClient start(MessengerClient.Builder builder) {
    MessengerClient client = builder.build();
    closeables.add(0, client::close);
    return client.start();
  }

  MessengerClient start() {
    return start(builder());
  }

  /** Registers another fake server to be closed with this harness. */
  FakeMessengerServer extraServer() {
    FakeMessengerServer extra = new FakeMessengerServer("fake-" + UUID.randomUUID());
    closeables.add(extra::close);
    return extra;
  }

  @Override
  public void close() {
    closeables.forEach(Runnable::run);
    server.close();
  }
}
