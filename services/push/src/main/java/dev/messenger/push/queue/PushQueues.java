package dev.messenger.push.queue;

import dev.messenger.push.PushMetrics;
import dev.messenger.push.client.PushStreams;
import dev.messenger.push.decision.JobDecider;
import dev.messenger.push.decision.RetryPolicy;
import dev.messenger.push.store.DeadLetters;
import dev.messenger.push.store.DeliveryState;
import dev.messenger.push.store.DeviceRegistry;
import dev.messenger.push.store.PushSettings;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push instance's share of the two work queues: durable pull consumers shared by every instance of the
 * namespace ({@code push-expander} on candidates, {@code push-sender} on jobs), so instances scale out and
 * take over each other's unacknowledged messages after the ack wait.
 */
public final class PushQueues implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushQueues.class);
  static final String EXPANDER = "push-expander";
  static final String SENDER = "push-sender";

  private final PullLoop candidates;
  private final PullLoop jobs;
  private final ExecutorService expanderPool;
  private final ExecutorService senderPool;
  private final ScheduledExecutorService depthPoller;
  private final AtomicLong candidateDepth = new AtomicLong();
  private final AtomicLong jobDepth = new AtomicLong();

  private PushQueues(PullLoop candidates, PullLoop jobs, ExecutorService expanderPool, ExecutorService senderPool,
      ScheduledExecutorService depthPoller) {
    this.candidates = candidates;
    this.jobs = jobs;
    this.expanderPool = expanderPool;
    this.senderPool = senderPool;
    this.depthPoller = depthPoller;
  }

  /** Settings of the queues: delay, retries, workers, ack wait. */
  public record Settings(Duration delay, Duration maxDeferral, RetryPolicy retry, int workers, Duration ackWait) {}

  public static PushQueues start(Connection nats, PushStreams streams, Settings settings, DeviceRegistry registry,
      DeliveryState state, PushSettings pushSettings, DeadLetters deadLetters, Providers providers,
      PushMetrics metrics, Clock clock, String instanceId) throws IOException {
    JetStreamManagement jsm = PushStreams.management(nats);
    streams.ensureCreated(nats);
    PushStreams.untilReady(() -> ensureConsumer(jsm, streams.candidatesStream(), streams.candidatesSubject(),
        EXPANDER, settings.ackWait()));
    PushStreams.untilReady(() -> ensureConsumer(jsm, streams.jobsStream(), streams.jobsSubject(), SENDER,
        settings.ackWait()));
    JetStream js = nats.jetStream();
    JobQueue jobQueue = new JobQueue(js, streams);
    CandidateExpander expander =
        new CandidateExpander(registry, state, jobQueue, settings.delay(), metrics);
    JobWorker worker = new JobWorker(registry, state, pushSettings, deadLetters, jobQueue, providers,
        new JobDecider(settings.maxDeferral()), settings.retry(), metrics, clock);
    ExecutorService expanderPool = Executors.newFixedThreadPool(4, named("push-expand-" + instanceId));
    ExecutorService senderPool = Executors.newFixedThreadPool(settings.workers(), named("push-send-" + instanceId));
    PullLoop candidateLoop = new PullLoop("push-candidates-" + instanceId,
        subscribe(js, streams.candidatesStream(), streams.candidatesSubject(), EXPANDER), 16, expanderPool,
        expander::handle);
    PullLoop jobLoop = new PullLoop("push-jobs-" + instanceId,
        // No more in hand than workers: a fetched job waits for no thread while its ack wait runs.
        subscribe(js, streams.jobsStream(), streams.jobsSubject(), SENDER), settings.workers(), senderPool,
        worker::handle);
    ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(named("push-depth-" + instanceId));
    PushQueues queues = new PushQueues(candidateLoop, jobLoop, expanderPool, senderPool, poller);
    metrics.registerQueueDepth(queues.candidateDepth::get, queues.jobDepth::get);
    poller.scheduleWithFixedDelay(() -> queues.pollDepth(jsm, streams), 0, 2, TimeUnit.SECONDS);
    candidateLoop.start();
    jobLoop.start();
    return queues;
  }

  private void pollDepth(JetStreamManagement jsm, PushStreams streams) {
    try {
      var c = jsm.getConsumerInfo(streams.candidatesStream(), EXPANDER);
      candidateDepth.set(c.getNumPending() + c.getNumAckPending());
      var j = jsm.getConsumerInfo(streams.jobsStream(), SENDER);
      jobDepth.set(j.getNumPending() + j.getNumAckPending());
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      log.debug("queue depth not read: {}", e.toString());
    }
  }

  private static void ensureConsumer(JetStreamManagement jsm, String stream, String subject, String durable,
      Duration ackWait) throws IOException {
    ConsumerConfiguration config = ConsumerConfiguration.builder()
        .durable(durable)
        .filterSubject(subject)
        .ackPolicy(AckPolicy.Explicit)
        .ackWait(ackWait)
        .maxAckPending(100_000)
        .build();
    try {
      jsm.addOrUpdateConsumer(stream, config);
    } catch (JetStreamApiException e) {
      throw new IOException("cannot create consumer " + durable + " on " + stream + ": " + e.getMessage(), e);
    }
  }

  private static JetStreamSubscription subscribe(JetStream js, String stream, String subject, String durable)
      throws IOException {
    try {
      return js.subscribe(subject, PullSubscribeOptions.bind(stream, durable));
    } catch (JetStreamApiException e) {
      throw new IOException("cannot bind to consumer " + durable + ": " + e.getMessage(), e);
    }
  }

  /** Stops fetching, lets the messages in hand finish (up to a grace), leaves the rest in the queues. */
  @Override
  public void close() {
    candidates.stop(Duration.ofSeconds(5));
    jobs.stop(Duration.ofSeconds(10));
    depthPoller.shutdownNow();
    expanderPool.shutdownNow();
    senderPool.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicLong count = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
