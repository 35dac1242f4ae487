package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NodeCutRulesTest {
  private final List<String> commands = new ArrayList<>();

  @Test
  void should_jump_to_its_chain_from_loopback_input_and_output_after_removing_a_stale_one() {
    NodeCut.open(arguments -> {
      commands.add(String.join(" ", arguments));
      if (arguments.contains("-D") || arguments.contains("-F") || arguments.contains("-X")) {
        throw new IptablesException("No chain/target/match by that name.");
      }
    }, "MESSENGER-NODE-8900");

    assertThat(commands).containsExactly(
        "-w -D INPUT -i lo -j MESSENGER-NODE-8900",
        "-w -D OUTPUT -o lo -j MESSENGER-NODE-8900",
        "-w -F MESSENGER-NODE-8900",
        "-w -X MESSENGER-NODE-8900",
        "-w -N MESSENGER-NODE-8900",
        "-w -I INPUT -i lo -j MESSENGER-NODE-8900",
        "-w -I OUTPUT -o lo -j MESSENGER-NODE-8900");
  }

  @Test
  void should_refuse_the_shared_loopback_address_which_would_cut_every_local_process() {
    NodeCutRules rules = new NodeCutRules("MESSENGER-NODE-1");
    assertThatThrownBy(() -> rules.drop("127.0.0.1", "g")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("address of the node's own");
    assertThatThrownBy(() -> rules.drop("10.0.0.2", "g")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rules.drop("127.0.0.2", "../escape")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_pick_the_connections_the_node_dialed_from_an_address_not_its_own() {
    String ss = String.join("\n",
        "0 0 [::ffff:127.0.0.1]:60176 [::ffff:127.0.0.3]:44563 users:((\"java\",pid=4242,fd=101))",
        "0 0 [::ffff:127.0.0.2]:44563 [::ffff:127.0.0.1]:43960 users:((\"java\",pid=4242,fd=102))",
        "0 0 [::ffff:127.0.0.1]:57578 [::ffff:127.0.0.2]:38177 users:((\"java\",pid=777,fd=9))",
        "0 0 127.0.0.1:35366 127.0.0.1:44563 users:((\"java\",pid=4242,fd=103))");

    assertThat(NodeConnections.dialedBy(4242, "127.0.0.2", ss)).containsExactly(
        new NodeConnections.Connection(60176, 44563), new NodeConnections.Connection(35366, 44563));
  }
}
