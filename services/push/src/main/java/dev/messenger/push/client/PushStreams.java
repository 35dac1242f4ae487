package dev.messenger.push.client;

import static java.util.Objects.requireNonNull;

import dev.messenger.common.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JetStream streams of push in one deployment namespace: candidates (router to push) and jobs (push to
 * push). Both are file-backed work queues: a message leaves when a push instance acknowledges it.
 */
public record PushStreams(Subjects subjects) {
  /** How long JetStream remembers a Nats-Msg-Id to drop a repeated publication. */
  public static final Duration DEDUP_WINDOW = Duration.ofMinutes(2);
  /** A notification older than this is no longer worth sending. */
  public static final Duration MAX_AGE = Duration.ofDays(1);
  private static final Logger log = LoggerFactory.getLogger(PushStreams.class);
  private static final int STREAM_NOT_FOUND = 10059;
  private static final int NOT_AVAILABLE = 10008;
  /** "No suitable peers for placement": a starting cluster whose servers have not all joined JetStream yet. */
  private static final int NO_PEERS_YET = 10005;
  private static final int CLUSTER_REPLICAS = 3;
  // Placing a stream on three servers waits for the cluster's JetStream leader: on a busy or just restarted
  // cluster one request took longer than jnats's 2 s default (ClusterInfrastructureIT, session 26), and while
  // no leader is elected the servers answer nothing. So a request may take 10 s, and one that failed that way is
  // repeated for about a minute.
  private static final JetStreamOptions MANAGEMENT =
      JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(10)).build();
  private static final Duration ENSURE_DEADLINE = Duration.ofMinutes(1);
  private static final Duration ENSURE_PAUSE = Duration.ofMillis(500);

  public PushStreams {
    requireNonNull(subjects, "subjects");
  }

  public String candidatesStream() {
    return subjects.namespace() + "-push-candidates";
  }

  public String candidatesSubject() {
    return subjects.namespace() + ".push.candidates";
  }

  public String jobsStream() {
    return subjects.namespace() + "-push-jobs";
  }

  public String jobsSubject() {
    return subjects.namespace() + ".push.jobs";
  }

  /**
   * Creates both streams if they do not exist yet; safe to call from several processes at once. On a NATS
   * cluster they are kept on three servers ({@link #replicasFor}), so a push job survives the loss of one.
   */
  public void ensureCreated(Connection nats) throws IOException {
    JetStreamManagement jsm = management(nats);
    int replicas = replicasFor(nats);
    untilReady(() -> ensure(jsm, candidatesStream(), candidatesSubject(), replicas));
    untilReady(() -> ensure(jsm, jobsStream(), jobsSubject(), replicas));
  }

  /** JetStream management whose requests may take 10 s (see {@link #untilReady}). */
  public static JetStreamManagement management(Connection nats) throws IOException {
    return nats.jetStreamManagement(MANAGEMENT);
  }

  /** A JetStream request at start that may fail for now. */
  public interface StartStep {
    void run() throws IOException;
  }

  /**
   * Runs {@code step} until it succeeds while its failures are passing ones: a request unanswered in time,
   * JetStream electing its leader, or a cluster's servers still joining it. Any other failure (a refused
   * configuration, JetStream not enabled) at once.
   */
  public static void untilReady(StartStep step) throws IOException {
    ensureWithin(ENSURE_DEADLINE, ENSURE_PAUSE, step);
  }

  static void ensureWithin(Duration deadline, Duration pause, StartStep step) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      try {
        step.run();
        return;
      } catch (IOException e) {
        if (!passing(e) || System.nanoTime() + pause.toNanos() > end) {
          throw e;
        }
        log.warn("JetStream is not ready ({}); trying again", e.getMessage());
      }
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for JetStream", e);
      }
    }
  }

  /**
   * A failure of the request itself, JetStream's "temporarily unavailable" while it elects a leader, or its "no
   * suitable peers" while a starting cluster's servers still join (fatal only if it lasts past the deadline).
   */
  static boolean passing(IOException failure) {
    return !(failure.getCause() instanceof JetStreamApiException api) || api.getApiErrorCode() == NOT_AVAILABLE
        || api.getApiErrorCode() == NO_PEERS_YET;
  }

  /** 3 when the server is one of a cluster (JetStream needs three servers for that), 1 alone. */
  static int replicasFor(Connection nats) {
    String cluster = nats.getServerInfo().getCluster();
    return cluster == null || cluster.isBlank() ? 1 : CLUSTER_REPLICAS;
  }

  private static void ensure(JetStreamManagement jsm, String stream, String subject, int replicas)
      throws IOException {
    try {
      jsm.getStreamInfo(stream);
      return;
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw new IOException("cannot look up stream " + stream + ": " + e.getMessage(), e);
      }
    }
    StreamConfiguration config = StreamConfiguration.builder()
        .name(stream)
        .subjects(subject)
        .retentionPolicy(RetentionPolicy.WorkQueue)
        .storageType(StorageType.File)
        .duplicateWindow(DEDUP_WINDOW)
        .maxAge(MAX_AGE)
        .replicas(replicas)
        .build();
    try {
      jsm.addStream(config);
    } catch (JetStreamApiException e) {
      try {
        jsm.getStreamInfo(stream); // another process created it meanwhile
      } catch (JetStreamApiException again) {
        throw new IOException("cannot create stream " + stream + ": " + e.getMessage(), e);
      }
    }
  }
}
