package dev.messenger.router;

import dev.messenger.api.v1.Message;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/** One router's sequencing parts on a shared {@link InMemoryCommitLog}, as Router wires them. */
final class TestRouter implements AutoCloseable {
  final InMemoryCommitLog log;
  final ExecutorService executor = Executors.newFixedThreadPool(4);
  final List<Message> published = Collections.synchronizedList(new ArrayList<>());
  /** What each user's subject was sent, in order. */
  final java.util.Map<String, List<Message>> publishedTo = new java.util.concurrent.ConcurrentHashMap<>();
  final List<String> projectedNotices = Collections.synchronizedList(new ArrayList<>());
  final AtomicBoolean owner = new AtomicBoolean(true);
  final List<Integer> fencedShards = Collections.synchronizedList(new ArrayList<>());
  volatile RuntimeException publishFailure;
  final ShardFence fence;
  final Projector projector;
  final Sequencer sequencer;

  TestRouter(InMemoryCommitLog log) {
    this.log = log;
    RouterMetrics metrics = new RouterMetrics(new PrometheusRegistry(), () -> 1);
    DeliveryPublisher publisher = new DeliveryPublisher() {
      @Override
      public void publish(Set<String> members, List<Message> messages) {
        RuntimeException failure = publishFailure;
        if (failure != null) {
          throw failure;
        }
        published.addAll(messages);
        for (String member : members) {
          publishedTo.computeIfAbsent(member, m -> Collections.synchronizedList(new ArrayList<>())).addAll(messages);
        }
      }

      @Override
      public void projected(Set<String> members, String conversationId, long upToSeq) {
        projectedNotices.add(conversationId + "#" + upToSeq);
      }
    };
    this.fence = new ShardFence(log, executor, fencedShards::add);
    Sequencer[] sequencerRef = new Sequencer[1];
    this.projector = new Projector(log, executor, (conversationId, members, upToSeq) -> {
      sequencerRef[0].projected(conversationId, upToSeq);
      publisher.projected(members, conversationId, upToSeq);
    }, metrics);
    this.sequencer = new Sequencer(log, publisher, new MessageIds(Clock.systemUTC()), Clock.systemUTC(), executor,
        shard -> owner.get(), fence, new ProjectionMarks(log, Clock.systemUTC()), projector, metrics);
    sequencerRef[0] = sequencer;
  }

  /** Takes shard 0 (raises its epoch) as Router does on acquiring it. */
  TestRouter holdingShard() throws Exception {
    fence.claim(0, "test-router").get(5, TimeUnit.SECONDS);
    return this;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
