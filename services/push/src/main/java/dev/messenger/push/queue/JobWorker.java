package dev.messenger.push.queue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.messenger.internal.v1.PushCandidate;
import dev.messenger.internal.v1.PushJob;
import dev.messenger.push.PushMetrics;
import dev.messenger.push.decision.Decision;
import dev.messenger.push.decision.DeviceFacts;
import dev.messenger.push.decision.JobDecider;
import dev.messenger.push.decision.Notification;
import dev.messenger.push.decision.RetryPolicy;
import dev.messenger.push.provider.SendResult;
import dev.messenger.push.store.DeadLetters;
import dev.messenger.push.store.DeadLetters.DeadLetter;
import dev.messenger.push.store.DeliveryState;
import dev.messenger.push.store.DeviceRegistration;
import dev.messenger.push.store.DeviceRegistry;
import dev.messenger.push.store.PushSettings;
import io.nats.client.Message;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one device job from the jobs queue. Not yet due: back to the queue until it is (nak with delay).
 * Due: reads what the store knows of the device, decides ({@link JobDecider}), sends through the device's
 * provider, and only then acknowledges: after the notified mark (accepted), the token removal (dead token),
 * the next attempt's job (transient failure) or the dead letter (last attempt). A crash before the
 * acknowledgement brings the job back to some instance; the notified mark keeps it from being sent twice.
 */
final class JobWorker {
  private static final Logger log = LoggerFactory.getLogger(JobWorker.class);
  private static final Duration STORE_RETRY = Duration.ofSeconds(2);
  private static final long READ_TIMEOUT_SECONDS = 15;
  private static final long SEND_TIMEOUT_SECONDS = 90;

  private final DeviceRegistry registry;
  private final DeliveryState state;
  private final PushSettings settings;
  private final DeadLetters deadLetters;
  private final JobQueue jobs;
  private final Providers providers;
  private final JobDecider decider;
  private final RetryPolicy retry;
  private final PushMetrics metrics;
  private final Clock clock;

  JobWorker(DeviceRegistry registry, DeliveryState state, PushSettings settings, DeadLetters deadLetters,
      JobQueue jobs, Providers providers, JobDecider decider, RetryPolicy retry, PushMetrics metrics, Clock clock) {
    this.registry = registry;
    this.state = state;
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.jobs = jobs;
    this.providers = providers;
    this.decider = decider;
    this.retry = retry;
    this.metrics = metrics;
    this.clock = clock;
  }

  void handle(Message message) {
    PushJob job;
    try {
      job = PushJob.parseFrom(message.getData());
    } catch (InvalidProtocolBufferException e) {
      log.error("dropping a push job that does not parse: {}", e.getMessage());
      message.ack();
      return;
    }
    long wait = job.getDueMs() - clock.millis();
    if (wait > 0) {
      message.nakWithDelay(Duration.ofMillis(wait));
      return;
    }
    try {
      process(job, message);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("push job {} failed, retrying: {}", JobQueue.id(job), e.toString());
      message.nakWithDelay(STORE_RETRY);
    }
  }

  private void process(PushJob job, Message message) throws Exception {
    PushCandidate candidate = job.getCandidate();
    String user = job.getUserId();
    String device = job.getDeviceId();
    String conversation = candidate.getConversationId();
    var registration = registry.device(user, device).toCompletableFuture();
    var delivered = state.deliveredSeq(user, device, conversation).toCompletableFuture();
    var marks = state.marks(user, device, conversation).toCompletableFuture();
    var muted = settings.mutedUntil(user, conversation).toCompletableFuture();
    var previews = settings.showPreviews(user).toCompletableFuture();
    var unread = state.unread(user, conversation).toCompletableFuture();
    CompletableFuture.allOf(registration, delivered, marks, muted, previews, unread)
        .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    DeviceFacts facts = new DeviceFacts(registration.join().isPresent(), delivered.join(), marks.join().notifiedSeq(),
        marks.join().queuedSeq(), muted.join(), previews.join(), unread.join().unreadElsewhere(),
        unread.join().readSeqHere());
    Decision decision = decider.decide(candidate, facts, clock.millis());
    if (decision instanceof Decision.Drop drop) {
      metrics.dropped(drop.reason().label());
      message.ack();
      return;
    }
    Notification notification = ((Decision.Send) decision).notification();
    DeviceRegistration target = registration.join().orElseThrow();
    Optional<Providers.Limited> provider = providers.forPlatform(target.platform());
    if (provider.isEmpty()) {
      metrics.dropped("provider_disabled");
      message.ack();
      return;
    }
    message.inProgress();
    SendResult result = provider.get().send(target, notification).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    String name = provider.get().name();
    if (result instanceof SendResult.Accepted) {
      await(state.markNotified(user, device, conversation, candidate.getSeq()));
      metrics.sent(name, (clock.millis() - candidate.getServerTimeMs()) / 1000.0);
      message.ack();
    } else if (result instanceof SendResult.Rejected rejected) {
      metrics.failed(name, rejected.reason());
      if (rejected.tokenInvalid()) {
        if (await(registry.removeIfUnchanged(target))) {
          metrics.tokenRemoved(name);
          log.info("removed the dead {} token of {}/{} ({})", name, user, device, rejected.reason());
        }
      } else {
        deadLetter(job, name, rejected.reason());
      }
      message.ack();
    } else if (result instanceof SendResult.Retryable retryable) {
      metrics.failed(name, retryable.reason());
      if (retry.mayRetry(job.getAttempt())) {
        Duration wait = retry.delayAfter(job.getAttempt(), retryable.retryAfter());
        PushJob next = job.toBuilder().setAttempt(job.getAttempt() + 1).setDueMs(clock.millis() + wait.toMillis())
            .setLastFailure(retryable.reason()).build();
        jobs.publish(next).get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        metrics.retried(name);
      } else {
        deadLetter(job, name, retryable.reason());
      }
      message.ack();
    }
  }

  private void deadLetter(PushJob job, String provider, String reason) throws Exception {
    await(deadLetters.record(new DeadLetter(job.getUserId(), job.getDeviceId(),
        job.getCandidate().getConversationId(), job.getCandidate().getSeq(), provider, reason, job.getAttempt(),
        clock.millis())));
    metrics.deadLettered(provider);
    log.info("gave up on {} after {} attempts: {}", JobQueue.id(job), job.getAttempt(), reason);
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
