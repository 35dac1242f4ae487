package dev.messenger.launcher;

import java.util.List;

/**
 * The kinds of NATS client of a stack started with authentication, each a user of its own whose permissions
 * name the subjects of the deployment's namespace ({@code <ns>.}) that kind uses and no other.
 */
public enum NatsUser {
  /** Submits to routers, relays receipts, typing and heartbeats over its user subjects, reports presence. */
  SESSION("session"),
  /** Answers submits, delivers messages on its user subjects, hands push candidates to JetStream. */
  ROUTER("router"),
  /** Reads presence reports, tells watchers over its user subjects. */
  PRESENCE("presence"),
  /** Consumes the push candidates and jobs streams. */
  PUSH("push"),
  /**
   * The tools beside the stack (load generator, chat): anything outside the namespace (the load generator's
   * NATS baseline, push scenarios in namespaces of their own) and nothing of it.
   */
  TOOLS("tools");

  private final String user;

  NatsUser(String user) {
    this.user = user;
  }

  /** The user name this kind logs in with. */
  public String user() {
    return user;
  }

  /**
   * What this kind may publish and subscribe to in {@code namespace}. User subjects are
   * {@code <ns>.user.<publisher>.<id>} (common's Subjects): each publisher kind publishes on its own alone,
   * which is how session servers know that a message came from a router.
   */
  NatsPermissions permissions(String namespace) {
    String ns = namespace + ".";
    String candidates = namespace + "-push-candidates";
    String jobs = namespace + "-push-jobs";
    String health = ns + "health.*";
    return switch (this) {
      case SESSION -> new NatsPermissions(
          List.of(ns + "submit.*", ns + "user.session.>", ns + "sessions.alive", ns + "presence.*", health), List.of(),
          List.of(ns + "user.*.>", ns + "sessions.alive", "_INBOX.>", health), List.of());
      case ROUTER -> new NatsPermissions(
          List.of(ns + "user.router.>", ns + "push.candidates", "_INBOX.>", health, "$JS.API.INFO",
              "$JS.API.STREAM.INFO." + candidates, "$JS.API.STREAM.CREATE." + candidates,
              "$JS.API.STREAM.INFO." + jobs, "$JS.API.STREAM.CREATE." + jobs), List.of(),
          List.of(ns + "submit.*", "_INBOX.>", health), List.of());
      case PRESENCE -> new NatsPermissions(
          List.of(ns + "user.presence.>", ns + "presence.*", health), List.of(),
          List.of(ns + "user.presence.>", ns + "presence.*", health), List.of());
      case PUSH -> new NatsPermissions(
          concat(List.of(ns + "push.jobs", "$JS.API.INFO", health), streamApi(candidates), streamApi(jobs)), List.of(),
          List.of("_INBOX.>", health), List.of());
      case TOOLS -> new NatsPermissions(
          List.of(">"), concat(List.of(ns + ">"), streamApi(candidates), streamApi(jobs)),
          List.of(">"), List.of(ns + ">"));
    };
  }

  /** Every JetStream API and ack subject naming {@code stream}: its info and creation, its consumers, acks. */
  private static List<String> streamApi(String stream) {
    return List.of("$JS.API.STREAM.*." + stream, "$JS.API.STREAM.*.*." + stream, "$JS.API.CONSUMER.*." + stream,
        "$JS.API.CONSUMER.*." + stream + ".>", "$JS.API.CONSUMER.*.*." + stream + ".>", "$JS.ACK." + stream + ".>");
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }
}
