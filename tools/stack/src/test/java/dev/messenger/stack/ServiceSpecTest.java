package dev.messenger.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.messenger.launcher.NatsUser;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceSpecTest {

  @Test
  void should_give_each_service_that_uses_nats_the_user_of_its_kind_and_history_none() {
    Map<String, Optional<NatsUser>> users = StackMain.services(7000, 2, 2).stream()
        .collect(Collectors.toMap(ServiceSpec::name, ServiceSpec::natsUser));

    assertThat(users).containsOnly(
        Map.entry("history", Optional.empty()),
        Map.entry("router", Optional.of(NatsUser.ROUTER)),
        Map.entry("router-2", Optional.of(NatsUser.ROUTER)),
        Map.entry("session", Optional.of(NatsUser.SESSION)),
        Map.entry("session-2", Optional.of(NatsUser.SESSION)),
        Map.entry("presence", Optional.of(NatsUser.PRESENCE)),
        Map.entry("push", Optional.of(NatsUser.PUSH)));
  }
}
