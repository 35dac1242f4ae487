package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.ConversationIds;
import dev.messenger.router.log.MessageLog;
import dev.messenger.history.store.MessagePage;
import dev.messenger.history.store.PageAnchor;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Taking over a shard after 20,000 busy periods in the last hour: the new owner serves the shard at once
 * (checking the marked conversations happens in the background, a bounded number at a time) and projects
 * what the previous owner committed but did not project. Marks are never deleted, so there is no tombstone
 * to scan however many busy periods there were.
 */
@WithRealInfrastructure
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ShardTakeoverIT {
  private static final int SHARD = 45; // holds dm:kim:lou
  private static final int BUSY_PERIODS = 20_000;
  private static TestCluster cluster;
  private static SessionNode session;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = TestCluster.start(endpoints);
    session = cluster.startSession("session-t", UnaryOperator.identity());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_serve_at_once_and_project_what_the_previous_owner_left() throws Exception {
    MessageLog log = cluster.log;
    long hour = System.currentTimeMillis() / 3_600_000L;
    List<String> inShard = conversationsOfShard(BUSY_PERIODS + 1);
    markAll(log, hour, inShard.subList(0, BUSY_PERIODS));

    // What a previous owner (epoch 1) committed, acknowledged and marked, then died before projecting.
    String orphan = ConversationIds.direct("kim", "lou");
    assertThat(ConversationIds.shardOf(orphan, 64)).isEqualTo(SHARD);
    List<Message> committed = List.of(message(orphan, 1, "kim"), message(orphan, 2, "lou"), message(orphan, 3, "kim"));
    log.claimShard(SHARD, "previous-owner").toCompletableFuture().get(10, TimeUnit.SECONDS);
    log.commit(orphan, committed, 1).toCompletableFuture().get(10, TimeUnit.SECONDS);
    log.markForProjection(SHARD, hour, orphan).toCompletableFuture().get(10, TimeUnit.SECONDS);

    long started = System.nanoTime();
    cluster.startRouter("router-new");
    String fresh = inShard.get(BUSY_PERIODS);
    var pair = ConversationIds.directMembers(fresh).orElseThrow();
    MessengerClient sender = cluster.track(cluster.clientBuilder(pair.first(), "phone", session,
        new DeviceRecorder(pair.first())).cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    SendAck ack = sender.send(fresh, "served while recovering").get(60, TimeUnit.SECONDS);
    Duration servedAfter = Duration.ofNanos(System.nanoTime() - started);

    assertThat(ack.getSeq()).isEqualTo(1);
    assertThat(servedAfter).as("the shard is served without waiting for %d checks", BUSY_PERIODS)
        .isLessThan(Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
        page("kim", orphan).messages().size() == 3 && page("lou", orphan).messages().size() == 3);
    assertThat(page("lou", orphan).messages()).isEqualTo(committed);
    assertThat(log.projectedSeq(orphan).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(3);
  }

  private static MessagePage page(String user, String conversation) throws Exception {
    return cluster.history.reader().page(user, conversation, PageAnchor.latest(), 50).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static List<String> conversationsOfShard(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < count; i++) {
      String id = ConversationIds.direct("kim" + i, "lou" + i);
      if (ConversationIds.shardOf(id, 64) == SHARD) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static void markAll(MessageLog log, long hour, List<String> conversations) throws Exception {
    Semaphore inFlight = new Semaphore(256);
    List<CompletableFuture<Void>> marks = new ArrayList<>();
    for (String id : conversations) {
      inFlight.acquire();
      marks.add(log.markForProjection(SHARD, hour, id).toCompletableFuture().whenComplete((ok, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(marks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
  }

  private static Message message(String conversation, long seq, String sender) {
    return Message.newBuilder().setConversationId(conversation).setSeq(seq).setSenderUserId(sender)
        .setSenderDeviceId("phone").setClientMessageId("left-" + seq).setMessageId("m-left-" + seq)
        .setBody("left behind " + seq).setServerTimeMs(1_700_000_000_000L + seq).build();
  }
}
