package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PortCutTest {
  private final List<String> commands = new ArrayList<>();

  @Test
  void should_remove_a_stale_chain_then_create_its_own_and_jump_to_it_from_loopback_input() {
    Iptables recording = arguments -> {
      commands.add(String.join(" ", arguments));
      if (arguments.contains("-D") || arguments.contains("-F") || arguments.contains("-X")) {
        throw new IptablesException("No chain/target/match by that name.");
      }
    };

    PortCut.open(recording, "MESSENGER-CUT-8900");

    assertThat(commands).containsExactly(
        "-w -D INPUT -i lo -j MESSENGER-CUT-8900",
        "-w -F MESSENGER-CUT-8900",
        "-w -X MESSENGER-CUT-8900",
        "-w -N MESSENGER-CUT-8900",
        "-w -I INPUT -i lo -j MESSENGER-CUT-8900");
  }

  @Test
  void should_drop_tcp_both_ways_on_every_port_while_cut_and_delete_exactly_those_rules_to_heal() throws Exception {
    PortCut cut = PortCut.open(arguments -> commands.add(String.join(" ", arguments)), "MESSENGER-CUT-8900");
    commands.clear();

    cut.cutFor(List.of(41001, 41002), Duration.ofMillis(1));

    assertThat(commands).containsExactly(
        "-w -A MESSENGER-CUT-8900 -p tcp --dport 41001 -j DROP",
        "-w -A MESSENGER-CUT-8900 -p tcp --sport 41001 -j DROP",
        "-w -A MESSENGER-CUT-8900 -p tcp --dport 41002 -j DROP",
        "-w -A MESSENGER-CUT-8900 -p tcp --sport 41002 -j DROP",
        "-w -D MESSENGER-CUT-8900 -p tcp --dport 41001 -j DROP",
        "-w -D MESSENGER-CUT-8900 -p tcp --sport 41001 -j DROP",
        "-w -D MESSENGER-CUT-8900 -p tcp --dport 41002 -j DROP",
        "-w -D MESSENGER-CUT-8900 -p tcp --sport 41002 -j DROP");
  }

  @Test
  void should_try_every_rule_when_healing_and_report_the_ones_that_failed() {
    PortCut cut = PortCut.open(arguments -> {
      commands.add(String.join(" ", arguments));
      if (arguments.contains("-D") && arguments.contains("--dport")) {
        throw new IptablesException("Bad rule");
      }
    }, "MESSENGER-CUT-1");
    commands.clear();

    assertThatThrownBy(() -> cut.heal(List.of(41001))).isInstanceOf(IptablesException.class)
        .hasMessageContaining("Bad rule");
    assertThat(commands).containsExactly(
        "-w -D MESSENGER-CUT-1 -p tcp --dport 41001 -j DROP",
        "-w -D MESSENGER-CUT-1 -p tcp --sport 41001 -j DROP");
  }

  @Test
  void should_remove_the_jump_then_the_chain_when_closed() {
    PortCut cut = PortCut.open(arguments -> commands.add(String.join(" ", arguments)), "MESSENGER-CUT-8900");
    commands.clear();

    cut.close();

    assertThat(commands).containsExactly(
        "-w -D INPUT -i lo -j MESSENGER-CUT-8900",
        "-w -F MESSENGER-CUT-8900",
        "-w -X MESSENGER-CUT-8900");
  }

  @Test
  void should_refuse_a_chain_name_iptables_would_refuse_and_a_port_that_is_not_one() {
    assertThatThrownBy(() -> new IptablesRules("MESSENGER-CUT-FOR-A-VERY-LONG-RUN")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> new IptablesRules("two words")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new IptablesRules("C").drop(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
