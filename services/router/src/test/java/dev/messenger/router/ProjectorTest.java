package dev.messenger.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProjectorTest {
  private static final String CONVERSATION = "dm:ann:ben";
  private static final Set<String> MEMBERS = Set.of("ann", "ben");

  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final InMemoryCommitLog log = new InMemoryCommitLog();
  private final List<Long> notices = Collections.synchronizedList(new ArrayList<>());
  private final Projector projector = new Projector(log, executor,
      (conversationId, members, upToSeq) -> notices.add(upToSeq), new RouterMetrics(new PrometheusRegistry(), () -> 1));

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void should_read_back_from_the_log_what_does_not_fit_in_memory() throws Exception {
    String large = "x".repeat(100_000);
    List<Message> committed = new ArrayList<>();
    for (long seq = 1; seq <= 120; seq++) { // ~12 MB: more than a lane holds
      committed.add(Message.newBuilder().setConversationId(CONVERSATION).setSeq(seq).setSenderUserId("ann")
          .setClientMessageId("c" + seq).setBody(large).build());
    }
    log.projectionGate = new java.util.concurrent.CompletableFuture<>();
    log.write(CONVERSATION, committed, 1);
    for (int i = 0; i < committed.size(); i += 10) {
      projector.committed(0, CONVERSATION, MEMBERS, committed.subList(i, i + 10));
    }
    log.projectionGate.complete(null);

    await().until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 120);
    assertThat(log.skippedProjections).isEmpty();
    assertThat(log.copies.get("ben/" + CONVERSATION)).hasSize(120);
    assertThat(notices).isSorted().endsWith(120L);
    assertThat(projector.settled(CONVERSATION)).isTrue();
    assertThat(projector.lag()).isZero();
  }

  @Test
  void should_start_from_the_stored_checkpoint_after_a_takeover() throws Exception {
    List<Message> committed = new ArrayList<>();
    for (long seq = 1; seq <= 5; seq++) {
      committed.add(Message.newBuilder().setConversationId(CONVERSATION).setSeq(seq).setSenderUserId("ben")
          .setClientMessageId("c" + seq).setBody("hi").build());
    }
    log.write(CONVERSATION, committed, 1);
    log.project(MEMBERS, committed.subList(0, 3)); // a previous owner got this far

    projector.reach(0, CONVERSATION, MEMBERS, 5);

    await().until(() -> log.projected.getOrDefault(CONVERSATION, 0L) == 5);
    assertThat(log.skippedProjections).isEmpty();
    assertThat(notices).containsExactly(5L);
  }
}
