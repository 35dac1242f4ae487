package dev.messenger.common;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names in the shared infrastructure, under one namespace so several deployments (or test clusters) can
 * share an etcd and a NATS without seeing each other: NATS subjects {@code <ns>.user.<publisher>.<id>} and
 * {@code <ns>.submit.<shard>}, etcd keys under {@code /<ns>/}.
 */
public record Subjects(String namespace) {
  /** The namespace used when none is configured. */
  public static final String DEFAULT_NAMESPACE = "msgr";
  /** Queue group of the routers on submit subjects: one router answers each request. */
  public static final String ROUTER_QUEUE = "routers";
  private static final UserEventPublisher[] PUBLISHERS = UserEventPublisher.values();
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public Subjects {
    if (namespace == null || !VALID.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace must match " + VALID.pattern() + ": " + namespace);
    }
  }

  public static Subjects defaults() {
    return new Subjects(DEFAULT_NAMESPACE);
  }

  /**
   * Where {@code publisher} tells the devices of a user: {@code <ns>.user.<publisher>.<id>}. The publisher
   * comes before the id because ids may hold dots: {@code <ns>.user.<id>.>} would also match the subjects of
   * a user whose id starts with {@code <id>.}.
   */
  public String user(String userId, UserEventPublisher publisher) {
    return userPrefix() + publisher.token() + "." + userId;
  }

  /** What every publisher tells the devices of a user: session servers holding a stream of it subscribe here. */
  public String userFromAnyPublisher(String userId) {
    return userPrefix() + "*." + userId;
  }

  /** The publisher a user subject of this namespace names, if it is one (read for every event: no copies). */
  public Optional<UserEventPublisher> publisherOf(String userSubject) {
    String user = ".user.";
    if (!userSubject.startsWith(namespace) || !userSubject.startsWith(user, namespace.length())) {
      return Optional.empty();
    }
    int start = namespace.length() + user.length();
    for (UserEventPublisher publisher : PUBLISHERS) {
      int end = start + publisher.token().length();
      if (userSubject.startsWith(publisher.token(), start) && userSubject.length() > end
          && userSubject.charAt(end) == '.') {
        return Optional.of(publisher);
      }
    }
    return Optional.empty();
  }

  private String userPrefix() {
    return namespace + ".user.";
  }

  /** The router owning the shard answers SubmitRequests here. */
  public String submit(int shard) {
    return namespace + ".submit." + shard;
  }

  /** Session servers publish their liveness here a few times a second, and listen to each other's. */
  public String sessionHeartbeats() {
    return namespace + ".sessions.alive";
  }

  /**
   * Where a service's NATS health probe sends to itself through the server: {@code <ns>.health.<connection>},
   * one subject per connection so no probe sees another's echoes.
   */
  public String health(String connection) {
    return namespace + ".health." + connection;
  }

  /** An etcd key prefix, e.g. {@code etcdPrefix("routers")} is {@code /<ns>/routers/}. */
  public String etcdPrefix(String kind) {
    return "/" + namespace + "/" + kind + "/";
  }
}
