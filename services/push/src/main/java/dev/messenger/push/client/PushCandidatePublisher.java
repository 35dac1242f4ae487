package dev.messenger.push.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import dev.messenger.internal.v1.PushCandidate;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.PublishOptions;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * How a router hands a committed message to the push service: {@link #publish} stores a {@link PushCandidate}
 * in the durable JetStream work queue {@code <ns>-push-candidates}, with {@code Nats-Msg-Id}
 * {@code <conversation_id>:<seq>} so that handing the same message over again (a retry, a replay after a
 * router takeover) within {@link PushStreams#DEDUP_WINDOW} is stored once. Push instances consume the
 * queue; nothing is lost while none runs.
 *
 * <p>Usage (one per router, thread-safe): {@code PushCandidatePublisher.create(nats, subjects)} on start,
 * then for each committed message {@code publish(candidate)}; the future completes when JetStream has
 * stored it, and fails (retry it) when it could not.
 */
public final class PushCandidatePublisher {
  /** Longest body preview kept in a candidate, in characters. */
  public static final int MAX_PREVIEW_CHARS = 1000;

  private final JetStream jetStream;
  private final PushStreams streams;

  private PushCandidatePublisher(JetStream jetStream, PushStreams streams) {
    this.jetStream = jetStream;
    this.streams = streams;
  }

  /** A publisher on {@code nats}; creates the push streams of the namespace if they are missing. */
  public static PushCandidatePublisher create(Connection nats, Subjects subjects) throws IOException {
    PushStreams streams = new PushStreams(subjects);
    streams.ensureCreated(nats.jetStreamManagement());
    return new PushCandidatePublisher(nats.jetStream(), streams);
  }

  /**
   * Stores the candidate for the push service. Its body preview is cut to {@link #MAX_PREVIEW_CHARS}.
   *
   * @return completes with true when stored, false when JetStream already had this conversation and seq
   */
  public CompletableFuture<Boolean> publish(PushCandidate candidate) {
    requireNonNull(candidate, "candidate");
    if (candidate.getConversationId().isEmpty() || candidate.getSeq() <= 0) {
      throw new IllegalArgumentException("a candidate needs a conversation id and a positive seq");
    }
    PushCandidate bounded = candidate.getBodyPreview().length() <= MAX_PREVIEW_CHARS
        ? candidate
        : candidate.toBuilder().setBodyPreview(cut(candidate.getBodyPreview())).build();
    PublishOptions options = PublishOptions.builder()
        .messageId(candidate.getConversationId() + ":" + candidate.getSeq())
        .expectedStream(streams.candidatesStream())
        .build();
    return jetStream.publishAsync(streams.candidatesSubject(), bounded.toByteArray(), options)
        .thenApply(ack -> !isDuplicate(ack));
  }

  private static boolean isDuplicate(PublishAck ack) {
    return ack.isDuplicate();
  }

  private static String cut(String text) {
    int end = MAX_PREVIEW_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
