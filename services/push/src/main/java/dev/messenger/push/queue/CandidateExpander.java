package dev.messenger.push.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.internal.v1.PushJob;
import dev.messenger.push.PushMetrics;
import dev.messenger.push.store.DeliveryState;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.push.store.DeviceRegistry;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a committed message into device jobs: one per registered device of each member but the sender, due
 * at commit time plus the delay. The candidate is acknowledged only after every job is stored in the jobs
 * queue and every device's queued mark is written; a crash before that redelivers the candidate, and the
 * jobs it publishes again are dropped by JetStream's dedup.
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
    PushCandidate candidate;
    try {
      candidate = PushCandidate.parseFrom(message.getData());
    } catch (InvalidProtocolBufferException e) {
      log.error("dropping a push candidate that does not parse: {}", e.getMessage());
      message.ack();
      return;
    }
    try {
      int queued = expand(candidate).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      message.ack();
      metrics.queued(queued);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("candidate {}:{} not expanded, retrying: {}", candidate.getConversationId(), candidate.getSeq(),
          e.toString());
      message.nakWithDelay(RETRY);
    }
  }

  /** Publishes the jobs of one candidate; completes with how many. */
  CompletableFuture<Integer> expand(PushCandidate candidate) {
    Set<String> recipients = new LinkedHashSet<>(candidate.getMemberUserIdsList());
    recipients.remove(candidate.getSenderUserId());
    long dueMs = candidate.getServerTimeMs() + delay.toMillis();
    List<CompletableFuture<Integer>> perUser = new ArrayList<>();
    for (String user : recipients) {
      perUser.add(registry.devices(user).toCompletableFuture().thenCompose(devices -> {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (DeviceRegistration device : devices) {
          PushJob job = PushJob.newBuilder().setUserId(user).setDeviceId(device.deviceId()).setCandidate(candidate)
              .setDueMs(dueMs).setAttempt(1).build();
          writes.add(state.markQueued(user, device.deviceId(), candidate.getConversationId(), candidate.getSeq())
              .toCompletableFuture());
          writes.add(jobs.publish(job));
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(done -> devices.size());
      }));
    }
    return CompletableFuture.allOf(perUser.toArray(CompletableFuture[]::new))
        .thenApply(done -> perUser.stream().mapToInt(CompletableFuture::join).sum());
  }
}
