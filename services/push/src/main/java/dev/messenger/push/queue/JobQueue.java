package dev.messenger.push.queue;

import dev.messenger.internal.v1.PushJob;
import dev.messenger.push.client.PushStreams;
import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes device jobs to the jobs work queue. The Nats-Msg-Id names the device, the message and the
 * attempt, so a job published twice (a candidate redelivered after a crash) is stored once.
 */
public final class JobQueue {
  private final JetStream jetStream;
  private final PushStreams streams;

  public JobQueue(JetStream jetStream, PushStreams streams) {
    this.jetStream = jetStream;
    this.streams = streams;
  }

  public CompletableFuture<Void> publish(PushJob job) {
    PublishOptions options = PublishOptions.builder()
        .messageId(id(job))
        .expectedStream(streams.jobsStream())
        .build();
    return jetStream.publishAsync(streams.jobsSubject(), job.toByteArray(), options).thenApply(ack -> null);
  }

  static String id(PushJob job) {
    return job.getUserId() + "/" + job.getDeviceId() + "/" + job.getCandidate().getConversationId() + "/"
        + job.getCandidate().getSeq() + "/" + job.getAttempt();
  }
}
