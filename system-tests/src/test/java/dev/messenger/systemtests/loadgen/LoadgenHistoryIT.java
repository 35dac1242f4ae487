package dev.messenger.systemtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.messenger.api.v1.Message;
import dev.messenger.common.ConversationIds;
import dev.messenger.history.store.MessagePage;
import dev.messenger.history.store.PageAnchor;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.loadgen.run.ConversationLedger.MessageKey;
import dev.messenger.loadgen.run.LoadRun;
import dev.messenger.loadgen.run.MessageHeader;
import dev.messenger.loadgen.run.RunResult;
import dev.messenger.loadgen.run.RunSettings;
import dev.messenger.loadgen.run.Scenario;
import dev.messenger.loadgen.run.Tally;
import dev.messenger.loadgen.run.Target;
import dev.messenger.testing.WithRealInfrastructure;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A small load run against a real deployment (session server, router, etcd, NATS, CQL): the tool reports
 * nothing lost, duplicated or out of order, and its own counts agree with what history stored, message by
 * message, in the conversation log and in every member's copy.
 */
@WithRealInfrastructure
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoadgenHistoryIT {
  private static LoadgenCluster cluster;

  @BeforeAll
  static void start(InfrastructureEndpoints endpoints) {
    cluster = new LoadgenCluster(endpoints);
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.router.ownedShards() == 64);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_count_exactly_what_history_stored() throws Exception {
    Scenario scenario = Scenario.of(20, 2, 2, Duration.ofSeconds(10)).withDrain(Duration.ofSeconds(5));
    Target target = new Target(List.of(cluster.session.address()), LoadgenCluster.TOKEN_KEY, true, 1, List.of());
    RunSettings settings = RunSettings.quiet();

    RunResult result = new LoadRun(scenario, target, settings).execute();

    Tally tally = result.tally();
    assertThat(result.connections().devicesConnected()).isEqualTo(40);
    assertThat(tally.acked()).isGreaterThan(300);
    assertThat(tally.failed() + tally.notSent() + tally.unresolved()).isZero();
    assertThat(tally.lost()).isZero();
    assertThat(tally.duplicated()).isZero();
    assertThat(tally.outOfOrder()).isZero();
    assertThat(tally.foreign()).isZero();
    assertThat(tally.expectedDeliveries()).isEqualTo(tally.acked() * 4);
    assertThat(tally.deliveredOfAcked()).isEqualTo(tally.expectedDeliveries());

    Map<String, List<MessageKey>> acked = result.ledger().ackedByConversation();
    assertThat(acked).hasSize(10);
    long stored = 0;
    for (Map.Entry<String, List<MessageKey>> conversation : acked.entrySet()) {
      List<Message> log = cluster.log.readLog(conversation.getKey(), 0, 100_000)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(keys(log, settings.runId())).as(conversation.getKey())
          .hasSameSizeAs(log)
          .containsExactlyInAnyOrderElementsOf(conversation.getValue());
      assertThat(log).extracting(Message::getSeq).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, log.size()).boxed().toList());
      ConversationIds.Pair members = ConversationIds.directMembers(conversation.getKey()).orElseThrow();
      List<String> logIds = log.stream().map(Message::getMessageId).toList();
      for (String member : List.of(members.first(), members.second())) {
        // Copies are projected after the acknowledgement and readers stop at the projection's checkpoint: on
        // a busy machine the last messages may still be on their way when the run ends, never out of order.
        // A gap or a reordering fails at once (an exception in the condition ends the wait); only the tail
        // still to come is waited for.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          List<String> copies = copies(member, conversation.getKey());
          assertThat(logIds).as(member + " in " + conversation.getKey() + ": the copies are the log's first ones")
              .startsWith(copies.toArray(String[]::new));
          return copies.size() == logIds.size();
        });
      }
      stored += log.size();
    }
    assertThat(stored).isEqualTo(tally.acked());
  }

  @Test
  void should_count_group_traffic_once_and_in_order_on_every_device_of_every_member() throws Exception {
    Scenario scenario = Scenario.of(30, 2, 2, Duration.ofSeconds(8)).withDrain(Duration.ofSeconds(5))
        .withGroups(0.5, List.of(10, 20));
    Target target = new Target(List.of(cluster.session.address()), LoadgenCluster.TOKEN_KEY, true, 1, List.of());
    RunSettings settings = RunSettings.quiet();

    RunResult result = new LoadRun(scenario, target, settings).execute();

    Tally tally = result.tally();
    assertThat(result.connections().devicesConnected()).isEqualTo(60);
    assertThat(tally.failed() + tally.notSent() + tally.unresolved()).isZero();
    assertThat(tally.lost()).isZero();
    assertThat(tally.duplicated()).isZero();
    assertThat(tally.outOfOrder()).isZero();
    assertThat(tally.foreign()).isZero();
    assertThat(tally.deliveredOfAcked()).isEqualTo(tally.expectedDeliveries());
    Map<String, List<MessageKey>> groups = new java.util.HashMap<>(result.ledger().ackedByConversation());
    groups.keySet().removeIf(id -> !ConversationIds.isGroup(id));
    assertThat(groups).hasSize(2);
    for (Map.Entry<String, List<MessageKey>> group : groups.entrySet()) {
      assertThat(group.getValue()).as("posts to " + group.getKey()).isNotEmpty();
      List<Message> log = cluster.log.readLog(group.getKey(), 0, 100_000)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(log.get(0).hasGroupChange()).isTrue();
      assertThat(keys(log.subList(1, log.size()), settings.runId()))
          .containsExactlyInAnyOrderElementsOf(group.getValue());
    }
  }

  private static Set<MessageKey> keys(List<Message> log, String runId) {
    Set<MessageKey> keys = new HashSet<>();
    for (Message message : log) {
      MessageHeader header = MessageHeader.parse(message.getBody()).orElseThrow();
      assertThat(header.runId()).isEqualTo(runId);
      keys.add(new MessageKey(header.senderDevice(), header.senderSeq()));
    }
    return keys;
  }

  /** The message ids of a member's copy of a conversation, through the history reader, page by page. */
  private static List<String> copies(String member, String conversationId) throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    long after = 0;
    while (true) {
      MessagePage page = cluster.history.reader().page(member, conversationId, PageAnchor.after(after), 200)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      page.messages().forEach(m -> ids.add(m.getMessageId()));
      if (!page.hasMore() || page.messages().isEmpty()) {
        return ids;
      }
      after = page.messages().get(page.messages().size() - 1).getSeq();
    }
  }
}
