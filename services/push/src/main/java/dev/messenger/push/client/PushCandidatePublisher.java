package dev.messenger.push.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.internal.v1.PushCandidateBatch;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How a router hands committed messages to the push service: {@link #publish} stores a {@link PushCandidate}
 * in the durable JetStream work queue {@code <ns>-push-candidates}. Candidates handed over within
 * {@link #LINGER} of each other share one stream message (a {@link PushCandidateBatch}, at most
 * {@link #MAX_BATCH} candidates or {@link #MAX_BATCH_BYTES}): a JetStream store, delivery and ack, and one
 * device read per batch rather than per message. Push notifies seconds after the commit, so the wait costs
 * nothing a user sees. An identical hand-over within {@link PushStreams#DEDUP_WINDOW} is stored once (the
 * {@code Nats-Msg-Id} is derived from the candidates); a repeat in another batch is dropped by push itself.
 * Push instances consume the queue; nothing is lost while none runs.
 *
 * <p>Usage (one per router, thread-safe): {@code PushCandidatePublisher.create(nats, subjects)} on start,
 * then for each committed message {@code publish(candidate)}; the future completes when JetStream has
 * stored its batch, and fails (retry it) when it could not.
 */
public final class PushCandidatePublisher {
  /** Longest body preview kept in a candidate, in characters. */
  public static final int MAX_PREVIEW_CHARS = 1000;
  /** The header that marks a stream message as a {@link PushCandidateBatch}. */
  public static final String BATCH_HEADER = "Messenger-Candidates";
  static final Duration LINGER = Duration.ofMillis(50);
  static final int MAX_BATCH = 256;
  static final int MAX_BATCH_BYTES = 512 * 1024;
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "push-candidate-batches");
    thread.setDaemon(true);
    return thread;
  });

  private final JetStream jetStream;
  private final PushStreams streams;
  private final Duration linger;
  private final List<Pending> pending = new ArrayList<>();
  private int pendingBytes;
  private boolean flushScheduled;

  private record Pending(PushCandidate candidate, CompletableFuture<Boolean> stored) {}

  private PushCandidatePublisher(JetStream jetStream, PushStreams streams, Duration linger) {
    this.jetStream = jetStream;
    this.streams = streams;
    this.linger = linger;
  }

  /** A publisher on {@code nats}; creates the push streams of the namespace if they are missing. */
  public static PushCandidatePublisher create(Connection nats, Subjects subjects) throws IOException {
    PushStreams streams = new PushStreams(subjects);
    streams.ensureCreated(nats);
    return new PushCandidatePublisher(nats.jetStream(), streams, LINGER);
  }

  /**
   * Stores the candidate for the push service, with the others handed over within the linger. Its body
   * preview is cut to {@link #MAX_PREVIEW_CHARS}.
   *
   * @return completes with true when its batch was stored, false when JetStream already had that batch
   */
  public CompletableFuture<Boolean> publish(PushCandidate candidate) {
    requireNonNull(candidate, "candidate");
    if (candidate.getConversationId().isEmpty() || candidate.getSeq() <= 0) {
      throw new IllegalArgumentException("a candidate needs a conversation id and a positive seq");
    }
    PushCandidate bounded = candidate.getBodyPreview().length() <= MAX_PREVIEW_CHARS
        ? candidate
        : candidate.toBuilder().setBodyPreview(cut(candidate.getBodyPreview())).build();
    CompletableFuture<Boolean> stored = new CompletableFuture<>();
    List<Pending> full = null;
    synchronized (this) {
      pending.add(new Pending(bounded, stored));
      pendingBytes += bounded.getSerializedSize();
      if (pending.size() >= MAX_BATCH || pendingBytes >= MAX_BATCH_BYTES) {
        full = takePending();
      } else if (!flushScheduled) {
        flushScheduled = true;
        TIMER.schedule(this::flushLingering, linger.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    if (full != null) {
      store(full);
    }
    return stored;
  }

  private void flushLingering() {
    List<Pending> batch;
    synchronized (this) {
      flushScheduled = false;
      batch = takePending();
    }
    if (!batch.isEmpty()) {
      store(batch);
    }
  }

  private List<Pending> takePending() {
    List<Pending> batch = new ArrayList<>(pending);
    pending.clear();
    pendingBytes = 0;
    return batch;
  }

  private void store(List<Pending> batch) {
    PushCandidateBatch.Builder message = PushCandidateBatch.newBuilder();
    batch.forEach(p -> message.addCandidates(p.candidate()));
    PublishOptions options = PublishOptions.builder()
        .messageId(messageId(message.getCandidatesList()))
        .expectedStream(streams.candidatesStream())
        .build();
    Headers headers = new Headers().put(BATCH_HEADER, "batch");
    CompletableFuture<io.nats.client.api.PublishAck> ack;
    try {
      ack = jetStream.publishAsync(streams.candidatesSubject(), headers, message.build().toByteArray(), options);
    } catch (RuntimeException e) {
      batch.forEach(p -> p.stored().completeExceptionally(e));
      return;
    }
    ack.whenComplete((stored, error) -> {
      for (Pending p : batch) {
        if (error != null) {
          p.stored().completeExceptionally(error);
        } else {
          p.stored().complete(!stored.isDuplicate());
        }
      }
    });
  }

  static String messageId(List<PushCandidate> candidates) {
    if (candidates.size() == 1) {
      return id(candidates.get(0));
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (PushCandidate c : candidates) {
        digest.update(id(c).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
      }
      return "batch:" + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String id(PushCandidate candidate) {
    return candidate.getConversationId() + ":" + candidate.getSeq();
  }

  private static String cut(String text) {
    int end = MAX_PREVIEW_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
