package dev.messenger.common;

import java.util.regex.Pattern;

/**
 * Names in the shared infrastructure, under one namespace so several deployments (or test clusters) can
 * share an etcd and a NATS without seeing each other: NATS subjects {@code <ns>.user.<id>} and
 * {@code <ns>.submit.<shard>}, etcd keys under {@code /<ns>/}.
 */
public record Subjects(String namespace) {
  /** The namespace used when none is configured. */
  public static final String DEFAULT_NAMESPACE = "msgr";
  /** Queue group of the routers on submit subjects: one router answers each request. */
  public static final String ROUTER_QUEUE = "routers";
  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public Subjects {
    if (namespace == null || !VALID.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace must match " + VALID.pattern() + ": " + namespace);
    }
  }

  public static Subjects defaults() {
    return new Subjects(DEFAULT_NAMESPACE);
  }

  /** Session servers holding a stream of the user subscribe here; routers publish deliveries here. */
  public String user(String userId) {
    return namespace + ".user." + userId;
  }

  /** The router owning the shard answers SubmitRequests here. */
  public String submit(int shard) {
    return namespace + ".submit." + shard;
  }

  /** Session servers publish their liveness here a few times a second, and listen to each other's. */
  public String sessionHeartbeats() {
    return namespace + ".sessions.alive";
  }

  /** An etcd key prefix, e.g. {@code etcdPrefix("routers")} is {@code /<ns>/routers/}. */
  public String etcdPrefix(String kind) {
    return "/" + namespace + "/" + kind + "/";
  }
}
