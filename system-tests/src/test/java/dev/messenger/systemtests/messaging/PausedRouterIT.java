package dev.messenger.systemtests.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.api.v1.SendAck;
import dev.messenger.client.InMemoryCursorStore;
import dev.messenger.client.MessengerClient;
import dev.messenger.common.ConversationIds;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.session.SessionNode;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Promise 4 when the owner of a conversation is paused (SIGSTOP) past its lease in mid-burst, the senders'
 * retries go to the new owner, and the old one then resumes with work in hand: every message is committed
 * once, at one seq, and delivered once in order.
 */
@WithRealInfrastructure
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PausedRouterIT {
  private static TestCluster cluster;
  private static SessionNode sessionA;
  private static SessionNode sessionB;
  private static Map<String, ChildProcess> routers;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) throws Exception {
    cluster = TestCluster.start(endpoints);
    sessionA = cluster.startSession("session-a", UnaryOperator.identity());
    sessionB = cluster.startSession("session-b", UnaryOperator.identity());
    routers = cluster.startRouterProcesses("router-q1", "router-q2");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_commit_every_message_once_when_a_paused_owner_resumes_after_losing_its_shard() throws Exception {
    String conversation = ConversationIds.direct("ivy", "jack");
    int shard = ConversationIds.shardOf(conversation, 64);
    String ownerId = cluster.shardOwners().get(shard);
    ChildProcess owner = routers.get(ownerId);

    DeviceRecorder jackDevice = new DeviceRecorder("jack");
    MessengerClient ivy = cluster.track(cluster.clientBuilder("ivy", "phone", sessionA, new DeviceRecorder("ivy"))
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    MessengerClient jack = cluster.track(cluster.clientBuilder("jack", "phone", sessionB, jackDevice)
        .cursorStore(new InMemoryCursorStore()).useDiscovery(false).build().start());
    assertThat(ivy.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
    assertThat(jack.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();

    List<CompletableFuture<SendAck>> acks = new ArrayList<>();
    boolean paused = false;
    try {
      for (int i = 0; i < 200; i++) {
        acks.add(ivy.send(conversation, "burst " + i));
        if (i == 60) {
          await().atMost(Duration.ofSeconds(30)).until(() -> acks.stream().filter(CompletableFuture::isDone).count() >= 20);
          signal(owner, "STOP");
          paused = true;
        }
      }
      // The other router takes the shard once the paused owner's lease expires, and serves the retries.
      await().atMost(Duration.ofSeconds(60)).until(() -> !ownerId.equals(cluster.shardOwners().get(shard)));
      await().atMost(Duration.ofSeconds(60)).until(() -> acks.stream().filter(CompletableFuture::isDone).count() >= 150);
    } finally {
      if (paused) {
        signal(owner, "CONT"); // resumes with submissions and a write in hand
      }
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    List<Message> stored = cluster.log.readLog(conversation, 0, 10_000).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(stored).extracting(Message::getSeq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 200).boxed().toList());
    assertThat(stored).extracting(Message::getClientMessageId).doesNotHaveDuplicates();
    for (CompletableFuture<SendAck> ack : acks) {
      Message m = stored.get((int) ack.join().getSeq() - 1);
      assertThat(m.getClientMessageId()).isEqualTo(ack.join().getClientMessageId());
      assertThat(m.getMessageId()).isEqualTo(ack.join().getMessageId());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> jackDevice.in(conversation).size() >= 200);
    assertThat(jackDevice.in(conversation)).containsExactlyElementsOf(stored);
  }

  private static void signal(ChildProcess process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
  }
}
