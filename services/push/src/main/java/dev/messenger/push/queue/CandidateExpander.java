package dev.messenger.push.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.internal.v1.PushCandidateBatch;
import dev.messenger.internal.v1.PushJob;
import dev.messenger.push.PushMetrics;
import dev.messenger.push.client.PushCandidatePublisher;
import dev.messenger.push.store.DeliveryState;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.push.store.DeviceRegistry;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns committed messages into device jobs: one per registered device of each member but the sender, due
 * at commit time plus the delay. A stream message (one candidate, or a batch of them) is acknowledged only
 * after every job is stored in the jobs queue and every device's queued mark is written; a crash before that
 * redelivers it, and the jobs it publishes again are dropped by JetStream's dedup.
 */
final class CandidateExpander {
  private static final Logger log = LoggerFactory.getLogger(CandidateExpander.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final long TIMEOUT_SECONDS = 30;

  private final DeviceRegistry registry;
  private final DeliveryState state;
  private final JobQueue jobs;
  private final Duration delay;
  private final PushMetrics metrics;

  CandidateExpander(DeviceRegistry registry, DeliveryState state, JobQueue jobs, Duration delay, PushMetrics metrics) {
    this.registry = registry;
    this.state = state;
    this.jobs = jobs;
    this.delay = delay;
    this.metrics = metrics;
  }

  void handle(Message message) {
    List<PushCandidate> candidates;
    try {
      candidates = candidates(message);
    } catch (InvalidProtocolBufferException e) {
      log.error("dropping push candidates that do not parse: {}", e.getMessage());
      message.ack();
      return;
    }
    try {
      int queued = expand(candidates).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      message.ack();
      metrics.queued(queued);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      PushCandidate first = candidates.get(0);
      log.warn("{} candidate(s) from {}:{} not expanded, retrying: {}", candidates.size(),
          first.getConversationId(), first.getSeq(), e.toString());
      message.nakWithDelay(RETRY);
    }
  }

  private static List<PushCandidate> candidates(Message message) throws InvalidProtocolBufferException {
    if (message.hasHeaders() && message.getHeaders().containsKey(PushCandidatePublisher.BATCH_HEADER)) {
      List<PushCandidate> batch = PushCandidateBatch.parseFrom(message.getData()).getCandidatesList();
      if (batch.isEmpty()) {
        throw new InvalidProtocolBufferException("an empty batch");
      }
      return batch;
    }
    return List.of(PushCandidate.parseFrom(message.getData()));
  }

  /**
   * Publishes the jobs of the candidates; completes with how many. The devices of all their recipients are
   * read together.
   */
  CompletableFuture<Integer> expand(List<PushCandidate> candidates) {
    Set<String> everyone = new LinkedHashSet<>();
    for (PushCandidate candidate : candidates) {
      everyone.addAll(recipients(candidate));
    }
    return registry.devicesOf(everyone).toCompletableFuture().thenCompose(devicesByUser -> {
      List<CompletableFuture<Integer>> perCandidate = new ArrayList<>();
      for (PushCandidate candidate : candidates) {
        perCandidate.add(queueJobs(candidate, devicesByUser));
      }
      return CompletableFuture.allOf(perCandidate.toArray(CompletableFuture[]::new))
          .thenApply(done -> perCandidate.stream().mapToInt(CompletableFuture::join).sum());
    });
  }

  private static Set<String> recipients(PushCandidate candidate) {
    Set<String> recipients = new LinkedHashSet<>(candidate.getMemberUserIdsList());
    recipients.remove(candidate.getSenderUserId());
    return recipients;
  }

  private CompletableFuture<Integer> queueJobs(PushCandidate candidate,
      Map<String, List<DeviceRegistration>> devicesByUser) {
    long dueMs = candidate.getServerTimeMs() + delay.toMillis();
    List<CompletableFuture<?>> writes = new ArrayList<>();
    int queued = 0;
    for (String user : recipients(candidate)) {
      for (DeviceRegistration device : devicesByUser.getOrDefault(user, List.of())) {
        PushJob job = PushJob.newBuilder().setUserId(user).setDeviceId(device.deviceId()).setCandidate(candidate)
            .setDueMs(dueMs).setAttempt(1).build();
        writes.add(state.markQueued(user, device.deviceId(), candidate.getConversationId(), candidate.getSeq())
            .toCompletableFuture());
        writes.add(jobs.publish(job));
        queued++;
      }
    }
    int count = queued;
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> count);
  }
}
