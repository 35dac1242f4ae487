package dev.messenger.loadgen;

import dev.messenger.api.v1.ConversationKind;
import dev.messenger.api.v1.PushDevicesGrpc;
import dev.messenger.api.v1.PushPlatform;
import dev.messenger.api.v1.RegisterDeviceRequest;
import dev.messenger.common.Subjects;
import dev.messenger.common.auth.AuthInterceptor;
import dev.messenger.common.auth.DevDefaults;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import dev.messenger.common.infra.InfraSettings;
import dev.messenger.loadgen.push.MockFcmServer;
import dev.messenger.loadgen.push.PushFleet;
import dev.messenger.loadgen.push.PushLedger;
import dev.messenger.loadgen.push.ScenarioCredentials;
import dev.messenger.loadgen.report.Histograms;
import dev.messenger.loadgen.report.Json;
import dev.messenger.push.client.PushCandidatePublisher;
import dev.messenger.push.client.PushStreams;
import dev.messenger.internal.v1.PushCandidate;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code loadgen push}: offline users and the push service. The load generator plays the routers (it hands
 * 1:1 messages over to push as a router does after its commit) and FCM (an HTTP/2 server of its own); the
 * push instances are PushMain processes on the deployment's NATS and CQL store, in a namespace of their own.
 */
@Command(name = "push", mixinStandardHelpOptions = true, version = "messenger-loadgen push 0.1",
    description = {"Offline users and push notifications. A share of the users have registered an FCM device "
        + "(through the PushDevices API) and no live stream; 1:1 messages between random users are handed over to "
        + "the push queue at an open-loop rate, as routers do after their commit. Starts the push instances "
        + "(PushMain processes) and a mock FCM v1 server (HTTP/2, TLS) and reports pushes/s per instance and "
        + "commit -> provider acceptance latency (p50/p99), measured at the mock FCM with HdrHistogram.",
        "Needs the deployment's NATS and CQL store (history's tables in --keyspace), e.g. the stack of "
            + "./messenger up, and a built tree (services/push/target).",
        "Exit codes: 0 every expected notification came once, 2 bad usage or the run could not start, 3 "
            + "notifications duplicated, unexplained or missing."})
final class PushScenarioCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  InfraOptions infra = new InfraOptions();

  @Option(names = "--users", defaultValue = "2000", description = "Users. Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(names = "--offline-share", defaultValue = "0.5",
      description = "Share of the users with a registered FCM device and no live stream. Default: ${DEFAULT-VALUE}.")
  double offlineShare;

  @Option(names = "--rate", defaultValue = "200", description = "Messages handed over per second. "
      + "Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      description = "Measurement window. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "15s", converter = DurationConverter.class,
      description = "Load before the window (JIT, connections). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--drain", defaultValue = "30s", converter = DurationConverter.class,
      description = "Longest wait for the last notifications. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(names = "--instances", defaultValue = "1", description = "Push instances. Default: ${DEFAULT-VALUE}.")
  int instances;

  @Option(names = "--push-delay", defaultValue = "0s", converter = DurationConverter.class,
      description = "The instances' --delay (how long a device has to receive a message before it is notified; "
          + "part of the latency). Default: ${DEFAULT-VALUE}, to measure the pipeline itself.")
  Duration pushDelay;

  @Option(names = "--workers", defaultValue = "64", description = "The instances' --workers. Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(names = "--fcm-concurrency", defaultValue = "64",
      description = "The instances' --fcm-concurrency. Default: ${DEFAULT-VALUE}.")
  int fcmConcurrency;

  @Option(names = "--keyspace", defaultValue = "messenger",
      description = "The deployment's keyspace (history's tables; push adds its own). Default: ${DEFAULT-VALUE}.")
  String keyspace;

  @Option(names = "--out", defaultValue = "loadgen-push", description = "Report directory. Default: ${DEFAULT-VALUE}.")
  Path out;

  private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();
  private final LongAdder publishFailures = new LongAdder();

  @Override
  public Integer call() throws Exception {
    if (users < 2 || offlineShare <= 0 || offlineShare > 1 || rate <= 0 || instances < 1 || duration.isZero()) {
      throw new IllegalArgumentException("need --users >= 2, 0 < --offline-share <= 1, --rate > 0, "
          + "--instances >= 1, --duration > 0");
    }
    PrintWriter console = spec.commandLine().getOut();
    Files.createDirectories(out);
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Subjects subjects = new Subjects("lp" + run);
    InfraSettings settings = infra.resolve();
    ScenarioCredentials credentials = ScenarioCredentials.create(out.resolve("credentials"), "messenger-load");
    PushLedger ledger = new PushLedger();
    int withDevice = Math.max(1, (int) Math.round(users * offlineShare));
    try (MockFcmServer fcm = new MockFcmServer(credentials.serverKeys(), ledger);
        Connection nats = settings.connectNats("loadgen-push-" + run)) {
      console.printf("starting %d push instance(s) on namespace %s, keyspace %s; mock FCM at %s%n", instances,
          subjects.namespace(), keyspace, fcm.origin());
      console.flush();
      List<String> args = List.of("--namespace=" + subjects.namespace(), "--cql-keyspace=" + keyspace,
          "--token-key=" + DevDefaults.TOKEN_KEY, "--delay=" + pushDelay.toMillis() + "ms",
          "--max-deferral=" + Math.max(30_000, pushDelay.toMillis()) + "ms", "--workers=" + workers,
          "--fcm-concurrency=" + fcmConcurrency, "--fcm-credentials-file=" + credentials.serviceAccount(),
          "--fcm-server=" + fcm.origin(), "--fcm-trust-cert=" + credentials.certificatePem());
      try (PushFleet fleet = PushFleet.start(instances, settings, args, out.resolve("logs"))) {
        register(fleet.instances().get(0), run, withDevice);
        PushCandidatePublisher publisher = PushCandidatePublisher.create(nats, subjects);
        Map<String, Object> report = drive(console, fleet, publisher, ledger, fcm, run, withDevice);
        Files.writeString(out.resolve("report.json"), Json.write(report));
        console.printf("report: %s%n", out.resolve("report.json").toAbsolutePath());
        boolean ok = ledger.duplicates() == 0 && ledger.unknown() == 0 && fcm.notHttp2() == 0 && fcm.refused() == 0
            && ((Number) report.get("missing_unexplained")).longValue() == 0;
        return ok ? 0 : LoadgenMain.CHECKS_FAILED;
      } finally {
        PushStreams streams = new PushStreams(subjects);
        for (String stream : List.of(streams.candidatesStream(), streams.jobsStream())) {
          try {
            nats.jetStreamManagement().deleteStream(stream);
          } catch (Exception e) {
            console.printf("could not delete stream %s: %s%n", stream, e.getMessage());
          }
        }
      }
    }
  }

  private static String user(String run, int index) {
    return "lp" + run + "u" + index;
  }

  private static String deviceToken(String run, int index) {
    return "fcm-" + run + "-" + index;
  }

  /** Users 0 .. withDevice-1 register one FCM device each, through the API, as apps do. */
  private static void register(PushFleet.Instance instance, String run, int withDevice) throws InterruptedException {
    Tokens tokens = new Tokens(DevDefaults.TOKEN_KEY, Clock.systemUTC());
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", instance.grpcPort()).usePlaintext()
        .build();
    try {
      List<ListenableFuture<?>> pending = new ArrayList<>();
      for (int i = 0; i < withDevice; i++) {
        Metadata headers = new Metadata();
        headers.put(AuthInterceptor.AUTHORIZATION,
            "Bearer " + tokens.issue(new Principal(user(run, i), "phone"), Duration.ofHours(1)));
        pending.add(PushDevicesGrpc.newFutureStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .withDeadlineAfter(60, TimeUnit.SECONDS)
            .registerDevice(RegisterDeviceRequest.newBuilder().setPlatform(PushPlatform.PUSH_PLATFORM_FCM)
                .setToken(deviceToken(run, i)).setAppId("1:1234:android:load").build()));
        if (pending.size() == 64) {
          awaitAll(pending);
        }
      }
      awaitAll(pending);
    } finally {
      channel.shutdownNow();
    }
  }

  private static void awaitAll(List<ListenableFuture<?>> pending)
      throws InterruptedException {
    for (var future : pending) {
      try {
        future.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("registering a device failed: " + e.getMessage(), e);
      }
    }
    pending.clear();
  }

  private Map<String, Object> drive(PrintWriter console, PushFleet fleet, PushCandidatePublisher publisher,
      PushLedger ledger, MockFcmServer fcm, String run, int withDevice) throws InterruptedException {
    SplittableRandom random = new SplittableRandom();
    long start = System.nanoTime();
    long windowStart = start + warmup.toNanos();
    long windowEnd = windowStart + duration.toNanos();
    ledger.windowStarts(windowStart);
    ledger.windowEnds(windowEnd);
    console.printf("handing over %.0f msg/s to push: %s warm-up, %s measured; %d of %d users have a device%n",
        rate, warmup, duration, withDevice, users);
    console.flush();
    Map<String, Map<String, Double>> before = new LinkedHashMap<>();
    Map<String, Map<String, Double>> after = new LinkedHashMap<>();
    long published = 0;
    for (long now = System.nanoTime(); now < windowEnd; now = System.nanoTime()) {
      long due = (long) ((now - start) / 1e9 * rate);
      for (; published < due; published++) {
        handOver(publisher, ledger, random, run, withDevice);
      }
      if (before.isEmpty() && now >= windowStart) {
        scrapeAll(fleet, before);
      }
      LockSupport.parkNanos(1_000_000);
    }
    scrapeAll(fleet, after);
    long drainEnd = System.nanoTime() + drain.toNanos();
    while (ledger.acceptedUnique() < ledger.expected() && System.nanoTime() < drainEnd) {
      Thread.sleep(100);
    }
    Map<String, Map<String, Double>> end = new LinkedHashMap<>();
    scrapeAll(fleet, end);
    return report(console, ledger, fcm, before, after, end);
  }

  private void handOver(PushCandidatePublisher publisher, PushLedger ledger, SplittableRandom random, String run,
      int withDevice) {
    int sender = random.nextInt(users);
    int recipient = random.nextInt(users - 1);
    if (recipient >= sender) {
      recipient++;
    }
    String a = user(run, Math.min(sender, recipient));
    String b = user(run, Math.max(sender, recipient));
    String conversation = "dm:" + (a.compareTo(b) < 0 ? a + ":" + b : b + ":" + a);
    long seq = seqs.computeIfAbsent(conversation, c -> new AtomicLong()).incrementAndGet();
    ledger.committed(conversation, seq, System.nanoTime(), recipient < withDevice);
    publisher.publish(PushCandidate.newBuilder().setConversationId(conversation).setSeq(seq)
            .setMessageId(UUID.randomUUID().toString()).setSenderUserId(user(run, sender)).setSenderDeviceId("phone")
            .addMemberUserIds(a).addMemberUserIds(b).setServerTimeMs(System.currentTimeMillis())
            .setBodyPreview("load message " + seq).setConversationKind(ConversationKind.CONVERSATION_KIND_DIRECT)
            .build())
        .whenComplete((stored, error) -> {
          if (error != null) {
            publishFailures.increment();
          }
        });
  }

  private static void scrapeAll(PushFleet fleet, Map<String, Map<String, Double>> into) throws InterruptedException {
    for (PushFleet.Instance instance : fleet.instances()) {
      into.put(instance.id(), fleet.scrape(instance));
    }
  }

  private Map<String, Object> report(PrintWriter console, PushLedger ledger, MockFcmServer fcm,
      Map<String, Map<String, Double>> before, Map<String, Map<String, Double>> after,
      Map<String, Map<String, Double>> end) {
    String sent = "messenger_push_sent_total{provider=\"fcm\"}";
    double seconds = duration.toNanos() / 1e9;
    Map<String, Object> perInstance = new LinkedHashMap<>();
    for (String id : after.keySet()) {
      double delta = after.get(id).getOrDefault(sent, 0.0) - before.getOrDefault(id, Map.of()).getOrDefault(sent, 0.0);
      perInstance.put(id, Math.round(delta / seconds * 10) / 10.0);
    }
    Map<String, Double> drops = new LinkedHashMap<>();
    end.values().forEach(samples -> samples.forEach((name, value) -> {
      if (name.startsWith("messenger_push_dropped_total")) {
        drops.merge(name.replace("messenger_push_dropped_total", ""), value, Double::sum);
      }
    }));
    // A message whose job found a later one queued (collapsed) or already notified is covered by that one.
    double collapsed = drops.getOrDefault("{reason=\"collapsed\"}", 0.0)
        + drops.getOrDefault("{reason=\"already_notified\"}", 0.0);
    long missing = Math.max(0, ledger.expected() - ledger.acceptedUnique());
    long unexplained = Math.max(0, missing - Math.round(collapsed));
    Histogram latency = ledger.latencyMicros();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("scenario", Map.of("users", users, "offline_share", offlineShare, "rate", rate,
        "duration_s", seconds, "warmup_s", warmup.toNanos() / 1e9, "instances", instances,
        "push_delay_ms", pushDelay.toMillis(), "workers", workers, "fcm_concurrency", fcmConcurrency));
    report.put("pushes_per_s", Math.round(ledger.acceptedInWindow() / seconds * 10) / 10.0);
    report.put("pushes_per_s_per_instance", perInstance);
    report.put("commit_to_provider_ms", Histograms.summaryMillis(latency));
    report.put("commit_to_provider_histogram", Histograms.encode(latency));
    report.put("expected", ledger.expected());
    report.put("expected_in_window", ledger.expectedInWindow());
    report.put("latency_samples", latency.getTotalCount());
    report.put("accepted", ledger.acceptedUnique());
    report.put("duplicates", ledger.duplicates());
    report.put("unknown", ledger.unknown());
    report.put("missing", missing);
    report.put("missing_unexplained", unexplained);
    report.put("dropped", drops);
    report.put("publish_failures", publishFailures.sum());
    report.put("not_http2", fcm.notHttp2());
    report.put("refused", fcm.refused());
    console.printf("pushes accepted by FCM in the window: %.1f/s (per instance: %s)%n",
        ledger.acceptedInWindow() / seconds, perInstance);
    if (latency.getTotalCount() == 0) {
      console.printf("commit -> FCM acceptance: no message of the window was notified before the drain ended "
          + "(the queue is saturated: see pushes/s)%n");
    } else {
      console.printf("commit -> FCM acceptance (push delay %d ms included): p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
              + "n=%d of %d in the window%n", pushDelay.toMillis(), Histograms.percentileMillis(latency, 50),
          Histograms.percentileMillis(latency, 99), latency.getMaxValue() / 1000.0, latency.getTotalCount(),
          ledger.expectedInWindow());
    }
    console.printf("expected %d, accepted %d, duplicates %d, missing %d (covered by a later message %.0f), unknown %d, "
            + "publish failures %d, not HTTP/2 %d, drops %s%n", ledger.expected(), ledger.acceptedUnique(),
        ledger.duplicates(), missing, collapsed, ledger.unknown(), publishFailures.sum(), fcm.notHttp2(), drops);
    console.flush();
    return report;
  }
}
