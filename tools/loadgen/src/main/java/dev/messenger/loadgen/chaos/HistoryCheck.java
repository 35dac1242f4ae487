package dev.messenger.loadgen.chaos;

import dev.messenger.api.v1.GetMessagesRequest;
import dev.messenger.api.v1.GetMessagesResponse;
import dev.messenger.api.v1.HistoryGrpc;
import dev.messenger.api.v1.Message;
import dev.messenger.common.ConversationIds;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.loadgen.run.ConversationLedger.MessageKey;
import dev.messenger.loadgen.run.Ledger;
import dev.messenger.loadgen.run.MessageHeader;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The second checker of a fault run: what History serves, read back through its API as each member of each
 * 1:1 conversation, must hold every acknowledged message once, at the seq its acknowledgement gave, with seqs
 * 1..n and no gap. The deliveries the ledger counted can all have arrived live while the store lost them:
 * this finds that. History serves what is projected, which may lag the commit, so a conversation that is
 * short is read again until {@code patience} runs out; only what is still wrong then counts.
 */
public final class HistoryCheck {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final int PAGE = 200;
  private static final int RATE_LIMIT_RETRIES = 100;
  private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

  private final String target;
  private final ChannelCredentials credentials;
  private final Tokens tokens;
  private final Duration patience;

  public HistoryCheck(String target, ChannelCredentials credentials, Tokens tokens, Duration patience) {
    this.target = target;
    this.credentials = credentials;
    this.tokens = tokens;
    this.patience = patience;
  }

  /** What was found, per kind of fault in what History serves. */
  public record Findings(int conversations, int copiesRead, long messagesRead, long missing, long duplicated,
      long misplaced, long gaps, long unchecked, long waitedMillis, String error) {

    public long broken() {
      return missing + duplicated + misplaced + gaps + (error == null ? 0 : 1);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("conversations", conversations);
      map.put("member_copies_read", copiesRead);
      map.put("messages_read", messagesRead);
      map.put("missing", missing);
      map.put("duplicated", duplicated);
      map.put("misplaced", misplaced);
      map.put("gaps", gaps);
      map.put("conversations_not_checked", unchecked);
      map.put("waited_ms", waitedMillis);
      if (error != null) {
        map.put("error", error);
      }
      return map;
    }
  }

  /** Reads every 1:1 conversation of the run back (groups are counted as not checked). */
  public Findings check(String runId, Ledger ledger) {
    long began = System.nanoTime();
    long deadline = began + patience.toNanos();
    ManagedChannel channel = NettyChannelBuilder.forTarget(target, credentials)
        .maxInboundMessageSize(64 * 1024 * 1024).build();
    try {
      Map<String, Map<MessageKey, Long>> acked = ledger.ackedPlacesByConversation();
      List<Copy> pending = new ArrayList<>();
      long unchecked = 0;
      for (Map.Entry<String, Map<MessageKey, Long>> conversation : acked.entrySet()) {
        var members = ConversationIds.directMembers(conversation.getKey());
        if (members.isEmpty()) {
          unchecked++;
          continue;
        }
        for (String member : List.of(members.get().first(), members.get().second())) {
          pending.add(new Copy(conversation.getKey(), member, conversation.getValue()));
        }
      }
      int copies = pending.size();
      Map<Copy, Verdict> last = new HashMap<>();
      while (true) {
        List<Copy> retry = new ArrayList<>();
        for (Copy copy : pending) {
          Verdict verdict = verdict(runId, copy, read(channel, copy));
          last.put(copy, verdict);
          if (!verdict.complete()) {
            retry.add(copy);
          }
        }
        pending = retry;
        if (pending.isEmpty() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(RETRY_EVERY.toMillis());
      }
      long read = 0;
      long missing = 0;
      long duplicated = 0;
      long misplaced = 0;
      long gaps = 0;
      for (Verdict verdict : last.values()) {
        read += verdict.read;
        missing += verdict.missing;
        duplicated += verdict.duplicated;
        misplaced += verdict.misplaced;
        gaps += verdict.gaps;
      }
      return new Findings(acked.size(), copies, read, missing, duplicated, misplaced, gaps, unchecked,
          Duration.ofNanos(System.nanoTime() - began).toMillis(), null);
    } catch (StatusRuntimeException e) {
      return new Findings(0, 0, 0, 0, 0, 0, 0, 0, Duration.ofNanos(System.nanoTime() - began).toMillis(),
          "History answered " + e.getStatus());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Findings(0, 0, 0, 0, 0, 0, 0, 0, 0, "interrupted");
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * One member's copy of one conversation, and the acknowledged messages it must hold, each with the seq its
   * acknowledgement gave (0: none).
   */
  record Copy(String conversationId, String member, Map<MessageKey, Long> acked) {}

  static final class Verdict {
    long read;
    long missing;
    long duplicated;
    long misplaced;
    long gaps;

    boolean complete() {
      return missing == 0 && gaps == 0;
    }
  }

  private List<Message> read(ManagedChannel channel, Copy copy) throws InterruptedException {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + tokens.issue(new Principal(copy.member(), "history-check"),
        Duration.ofMinutes(10)));
    HistoryGrpc.HistoryBlockingStub history = HistoryGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    List<Message> messages = new ArrayList<>();
    long after = 0;
    while (true) {
      long from = after;
      GetMessagesResponse page = afterRateLimits(() -> history.withDeadlineAfter(30, TimeUnit.SECONDS).getMessages(
          GetMessagesRequest.newBuilder().setConversationId(copy.conversationId()).setAfterSeq(from)
              .setPageSize(PAGE).build()), Thread::sleep);
      messages.addAll(page.getMessagesList());
      if (!page.getHasMore() || page.getMessagesCount() == 0) {
        return messages;
      }
      after = page.getMessages(page.getMessagesCount() - 1).getSeq();
    }
  }

  /** Waits for a number of milliseconds; {@code Thread::sleep}, or a recorder in tests. */
  interface Pause {
    void millis(long millis) throws InterruptedException;
  }

  /**
   * Runs a read again after the server's retry delay while History refuses it with RESOURCE_EXHAUSTED and a
   * RetryInfo (READ_RATE_LIMITED: a check reads faster than a user may), at most {@value #RATE_LIMIT_RETRIES}
   * times; any other error, or a refusal without a delay, is thrown.
   */
  static <T> T afterRateLimits(java.util.function.Supplier<T> read, Pause pause) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      try {
        return read.get();
      } catch (StatusRuntimeException e) {
        long delay = dev.messenger.common.errors.ApiErrors.retryAfterMillisOf(e);
        if (e.getStatus().getCode() != io.grpc.Status.Code.RESOURCE_EXHAUSTED || delay <= 0
            || attempt >= RATE_LIMIT_RETRIES) {
          throw e;
        }
        pause.millis(delay);
      }
    }
  }

  /** Compares what History served for one copy with the ledger. */
  static Verdict verdict(String runId, Copy copy, List<Message> messages) {
    Verdict verdict = new Verdict();
    verdict.read = messages.size();
    long expectedSeq = 1;
    Set<MessageKey> seen = new HashSet<>();
    for (Message message : messages) {
      if (message.getSeq() != expectedSeq) {
        verdict.gaps++;
      }
      expectedSeq = message.getSeq() + 1;
      var header = MessageHeader.parse(message.getBody()).filter(h -> h.runId().equals(runId));
      if (header.isEmpty()) {
        continue;
      }
      MessageKey key = new MessageKey(header.get().senderDevice(), header.get().senderSeq());
      if (!seen.add(key)) {
        verdict.duplicated++;
      }
      Long ackedAt = copy.acked().get(key);
      if (ackedAt != null && ackedAt != 0 && ackedAt != message.getSeq()) {
        verdict.misplaced++;
      }
    }
    for (MessageKey key : copy.acked().keySet()) {
      if (!seen.contains(key)) {
        verdict.missing++;
      }
    }
    return verdict;
  }
}
