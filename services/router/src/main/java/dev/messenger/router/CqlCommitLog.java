package dev.messenger.router;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.history.store.ConversationInfo;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.history.store.HistoryStore;
import dev.messenger.history.store.Inflight;
import dev.messenger.history.store.MessageLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The router's {@link CommitLog} on the history module's CQL message log. */
final class CqlCommitLog implements CommitLog {
  private final MessageLog log;

  CqlCommitLog(MessageLog log) {
    this.log = log;
  }

  static CqlCommitLog create(CqlSession cql, HistoryConfig config, PrometheusRegistry registry) {
    try {
      return new CqlCommitLog(
          HistoryStore.openWhenReady(cql, config, registry, Clock.systemUTC(), java.time.Duration.ofSeconds(60)).log());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the history schema", e);
    }
  }

  @Override
  public CompletionStage<Long> loadHead(String conversationId) {
    return log.loadHead(conversationId);
  }

  @Override
  public CompletionStage<Boolean> commit(String conversationId, List<Message> messages) {
    return log.commit(conversationId, messages);
  }

  @Override
  public CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit) {
    return log.readLog(conversationId, afterSeq, limit);
  }

  @Override
  public CompletionStage<Long> fannedOutSeq(String conversationId) {
    return log.conversation(conversationId).thenApply(info -> info.map(ConversationInfo::fannedOutSeq).orElse(0L));
  }

  @Override
  public CompletionStage<Void> recordClientIds(String conversationId, List<Message> messages) {
    return log.recordClientIds(conversationId, messages);
  }

  @Override
  public CompletionStage<Optional<SendAck>> findClientId(String conversationId, String sender, String clientId) {
    return log.findClientId(conversationId, sender, clientId).thenApply(found -> found.map(s -> SendAck.newBuilder()
        .setClientMessageId(s.clientMessageId())
        .setConversationId(s.conversationId())
        .setSeq(s.seq())
        .setMessageId(s.messageId())
        .setServerTimeMs(s.serverTimeMs())
        .build()));
  }

  @Override
  public CompletionStage<Void> fanOut(Set<String> members, List<Message> messages) {
    return log.fanOut(members, messages);
  }

  @Override
  public CompletionStage<Void> markInflight(int shard, String conversationId, long fromSeq) {
    return log.markInflight(shard, conversationId, fromSeq);
  }

  @Override
  public CompletionStage<Void> clearInflight(int shard, String conversationId, long upToSeq) {
    return log.clearInflight(shard, conversationId, upToSeq);
  }

  @Override
  public CompletionStage<List<String>> listInflight(int shard) {
    return log.listInflight(shard).thenApply(rows -> rows.stream().map(Inflight::conversationId).toList());
  }

  @Override
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return log.members(conversationId);
  }

  @Override
  public CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB) {
    return log.ensureDirectConversation(conversationId, userA, userB);
  }
}
