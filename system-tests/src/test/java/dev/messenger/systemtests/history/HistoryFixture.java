package dev.messenger.systemtests.history;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.MessageKind;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistorySchema;
import dev.messenger.history.store.HistoryStore;
import dev.messenger.router.log.MessageLog;
import dev.messenger.launcher.InfrastructureEndpoints;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * A history store in a keyspace of its own on the shared real CQL store, so test classes do not see each
 * other's data. Dropped on close.
 */
final class HistoryFixture implements AutoCloseable {
  final CqlSession session;
  final HistoryConfig config;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final HistoryStore store;
  final MessageLog log;

  private HistoryFixture(CqlSession session, HistoryConfig config, Clock clock) {
    this.session = session;
    this.config = config;
    this.store = HistoryStore.open(session, config, registry, clock);
    this.log = MessageLog.open(session, config, registry, clock);
  }

  /** Connects the way services do and creates the schema in a fresh keyspace. */
  static HistoryFixture create(InfrastructureEndpoints endpoints) {
    return create(endpoints, Clock.systemUTC());
  }

  /** The same, with the store's clock (projection days, sync times) under the test's control. */
  static HistoryFixture create(InfrastructureEndpoints endpoints, Clock clock) {
    InfraSettings infra =
        new InfraSettings(
            endpoints.etcdEndpoints(), endpoints.natsUrl(), endpoints.cqlContactPoints(), endpoints.cqlLocalDatacenter());
    CqlSession session = infra.connectCql();
    String keyspace = "history_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    HistoryConfig config = HistoryConfig.inKeyspace(keyspace);
    HistorySchema.create(session, config);
    return new HistoryFixture(session, config, clock);
  }

  /** Waits for an asynchronous result (test threads only). */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("history call failed", e);
    }
  }

  /** A text message as a router would commit it. */
  static Message text(String conversationId, long seq, String sender, String body) {
    return Message.newBuilder()
        .setConversationId(conversationId)
        .setSeq(seq)
        .setMessageId(String.format("m-%s-%08d-%s", sender, seq, UUID.randomUUID().toString().substring(0, 8)))
        .setSenderUserId(sender)
        .setSenderDeviceId(sender + "-phone")
        .setClientMessageId("c-" + UUID.randomUUID())
        .setBody(body)
        .setServerTimeMs(1_700_000_000_000L + seq)
        .setKind(MessageKind.MESSAGE_KIND_TEXT)
        .build();
  }

  /** Messages {@code from..to} of a conversation, senders alternating between {@code senders}. */
  static List<Message> texts(String conversationId, long from, long to, String... senders) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(seq -> text(conversationId, seq, senders[(int) (seq % senders.length)], "message " + seq))
        .toList();
  }

  /** Commits and projects {@code messages} as the router does, in commit-sized chunks. */
  void commitAndFanOut(List<String> members, List<Message> messages, int chunk) {
    String conversationId = messages.get(0).getConversationId();
    for (int i = 0; i < messages.size(); i += chunk) {
      List<Message> part = messages.subList(i, Math.min(messages.size(), i + chunk));
      await(log.commit(conversationId, part, 1));
      await(log.project(members, part));
    }
  }

  @Override
  public void close() {
    try {
      session.execute(
          SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + config.keyspace()).setTimeout(Duration.ofSeconds(60)));
    } finally {
      session.close();
    }
  }
}
