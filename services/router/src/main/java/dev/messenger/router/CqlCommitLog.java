package dev.messenger.router;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.history.store.HistoryConfig;
import dev.messenger.router.log.MessageLog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** The router's {@link CommitLog} on the CQL message log ({@link MessageLog}). */
final class CqlCommitLog implements CommitLog {
  private final MessageLog log;

  CqlCommitLog(MessageLog log) {
    this.log = log;
  }

  static CqlCommitLog create(CqlSession cql, HistoryConfig config, PrometheusRegistry registry) {
    try {
      return new CqlCommitLog(
          MessageLog.openWhenReady(cql, config, registry, Clock.systemUTC(), java.time.Duration.ofSeconds(60)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the history schema", e);
    }
  }

  @Override
  public CompletionStage<Long> claimShard(int shard, String owner) {
    return log.claimShard(shard, owner);
  }

  @Override
  public CompletionStage<Long> shardEpoch(int shard) {
    return log.shardEpoch(shard);
  }

  @Override
  public CompletionStage<Long> loadHead(String conversationId) {
    return log.loadHead(conversationId);
  }

  @Override
  public CompletionStage<Void> write(String conversationId, List<Message> messages, long epoch) {
    return log.commit(conversationId, messages, epoch);
  }

  @Override
  public CompletionStage<Void> seal(String conversationId, long epoch, long head) {
    return log.seal(conversationId, epoch, head);
  }

  @Override
  public CompletionStage<List<Message>> readLog(String conversationId, long afterSeq, int limit) {
    return log.readLog(conversationId, afterSeq, limit);
  }

  @Override
  public CompletionStage<long[]> headAndCheckpoint(String conversationId) {
    return log.state(conversationId).thenApply(state -> new long[] {state.head(), state.projectedSeq()});
  }

  @Override
  public CompletionStage<Long> projectedSeq(String conversationId) {
    return log.projectedSeq(conversationId);
  }

  @Override
  public CompletionStage<Void> project(Set<String> members, List<Message> messages) {
    return log.project(members, messages);
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
  public CompletionStage<Void> markForProjection(int shard, long hour, String conversationId) {
    return log.markForProjection(shard, hour, conversationId);
  }

  @Override
  public CompletionStage<List<String>> markedForProjection(int shard, long hour) {
    return log.markedForProjection(shard, hour);
  }

  @Override
  public CompletionStage<Optional<Set<String>>> members(String conversationId) {
    return log.members(conversationId);
  }

  @Override
  public CompletionStage<Optional<dev.messenger.history.store.StoredGroup>> group(String conversationId) {
    return log.group(conversationId);
  }

  @Override
  public CompletionStage<Void> ensureDirectConversation(String conversationId, String userA, String userB) {
    return log.ensureDirectConversation(conversationId, userA, userB);
  }
}
