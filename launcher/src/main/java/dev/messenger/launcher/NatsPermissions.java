package dev.messenger.launcher;

import java.util.List;
import java.util.stream.Collectors;

/** Subjects a NATS user may publish and subscribe to: allowed ones, less denied ones. */
record NatsPermissions(
    List<String> publishAllow, List<String> publishDeny, List<String> subscribeAllow, List<String> subscribeDeny) {

  NatsPermissions {
    publishAllow = List.copyOf(publishAllow);
    publishDeny = List.copyOf(publishDeny);
    subscribeAllow = List.copyOf(subscribeAllow);
    subscribeDeny = List.copyOf(subscribeDeny);
  }

  /** The {@code permissions} map of a user in nats-server's configuration format. */
  String render() {
    return "{ publish: " + direction(publishAllow, publishDeny) + ", subscribe: "
        + direction(subscribeAllow, subscribeDeny) + " }";
  }

  private static String direction(List<String> allow, List<String> deny) {
    return deny.isEmpty()
        ? "{ allow: " + list(allow) + " }"
        : "{ allow: " + list(allow) + ", deny: " + list(deny) + " }";
  }

  private static String list(List<String> subjects) {
    return subjects.stream().map(Quoting::quoted).collect(Collectors.joining(", ", "[", "]"));
  }
}
