package dev.messenger.loadgen.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChurnSettingsTest {
  @Test
  void should_derive_holds_that_keep_clear_of_the_configured_delays() {
    ChurnSettings settings = ChurnSettings.defaults();

    assertThat(settings.minOnline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.minOffline()).isEqualTo(Duration.ofSeconds(7));
    assertThat(settings.blipLength()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(settings.prefix()).matches("pc-[0-9a-f]{8}");
    assertThat(ChurnSettings.defaults().prefix()).isNotEqualTo(settings.prefix());

    ChurnSettings fast = settings.withExpectedDelays(Duration.ofMillis(200), Duration.ofSeconds(1),
        Duration.ofMillis(300));
    assertThat(fast.minOnline()).isEqualTo(Duration.ofMillis(1_200));
    assertThat(fast.minOffline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(fast.blipLength()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void should_refuse_holds_too_close_to_the_configured_delays() {
    ChurnSettings settings = ChurnSettings.defaults();

    assertThatThrownBy(() -> settings.withHolds(Duration.ofSeconds(1), Duration.ofSeconds(7), 0.2,
        Duration.ofSeconds(1))).hasMessageContaining("--min-online");
    assertThatThrownBy(() -> settings.withHolds(Duration.ofSeconds(2), Duration.ofSeconds(5), 0.2,
        Duration.ofSeconds(1))).hasMessageContaining("--min-offline");
    assertThatThrownBy(() -> settings.withHolds(Duration.ofSeconds(2), Duration.ofSeconds(7), 0.2,
        Duration.ofMillis(4_600))).hasMessageContaining("--blip-length");
    assertThat(settings.withHolds(Duration.ofSeconds(2), Duration.ofSeconds(7), 0, Duration.ofSeconds(9))
        .blipFraction()).isZero();
  }

  @Test
  void should_refuse_more_watches_than_churners_or_the_api_allows() {
    ChurnSettings settings = ChurnSettings.defaults();

    assertThatThrownBy(() -> settings.withPopulation(10, 11, 10)).hasMessageContaining("--watches");
    assertThatThrownBy(() -> settings.withPopulation(10, 501, 1_000)).hasMessageContaining("--watches");
    assertThatThrownBy(() -> settings.withPrefix("no spaces")).hasMessageContaining("--prefix");
  }

  @Test
  void should_spread_watches_evenly_over_the_churning_users() {
    ChurnSettings settings = ChurnSettings.defaults().withPopulation(30, 7, 20);
    Map<Integer, Integer> watchers = new HashMap<>();

    for (int w = 0; w < settings.watchers(); w++) {
      int[] watched = settings.watchedBy(w);
      assertThat(watched).hasSize(7).doesNotHaveDuplicates();
      for (int c : watched) {
        watchers.merge(c, 1, Integer::sum);
      }
    }

    assertThat(watchers).hasSize(20);
    assertThat(watchers.values()).allSatisfy(count -> assertThat(count).isBetween(10, 11));
  }
}
