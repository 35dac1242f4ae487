package dev.messenger.loadgen.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PresenceChurnCommandTest {
  private static PresenceChurnCommand parse(String... args) {
    PresenceChurnCommand command = new PresenceChurnCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void should_turn_options_into_settings_with_holds_derived_from_the_expected_delays() {
    ChurnSettings settings = parse("--watchers=5", "--watches=3", "--churners=10", "--rate=2.5",
        "--arrivals=fixed", "--expected-online-delay=200ms", "--expected-grace=1s", "--margin=300ms",
        "--duration=15s", "--warmup=0", "--prefix=pc-test", "--seed=4").settings();

    assertThat(settings.watchers()).isEqualTo(5);
    assertThat(settings.watchesPerWatcher()).isEqualTo(3);
    assertThat(settings.churners()).isEqualTo(10);
    assertThat(settings.rate()).isEqualTo(2.5);
    assertThat(settings.arrivals()).isEqualTo(Arrivals.FIXED);
    assertThat(settings.onlineDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.minOnline()).isEqualTo(Duration.ofMillis(1_200));
    assertThat(settings.minOffline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.blipLength()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.warmup()).isZero();
    assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.prefix()).isEqualTo("pc-test");
    assertThat(settings.seed()).isEqualTo(4);
  }

  @Test
  void should_default_to_the_scenario_of_the_readme() {
    ChurnSettings settings = parse().settings();

    assertThat(settings.watchers()).isEqualTo(200);
    assertThat(settings.churners()).isEqualTo(200);
    assertThat(settings.rate()).isEqualTo(20);
    assertThat(settings.arrivals()).isEqualTo(Arrivals.POISSON);
    assertThat(settings.onlineDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void should_refuse_a_blip_as_long_as_the_grace_period() {
    assertThatThrownBy(() -> parse("--blip-length=5s").settings())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--blip-length");
    assertThatThrownBy(() -> parse("--arrivals=bursty").settings()).hasMessageContaining("--arrivals");
    assertThatThrownBy(() -> parse("--duration=soon")).isInstanceOf(CommandLine.ParameterException.class);
  }
}
