package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.Map;

/**
 * Who may use a local nats-server: a user per {@link NatsUser} kind with a generated password and permissions
 * limited to the subjects of {@code namespace} that kind uses, and a login of their own for the routes between
 * the members of a cluster.
 */
final class NatsAuthorization {
  private static final String ROUTE_USER = "route";

  private final String namespace;
  private final Map<NatsUser, Login> logins;
  private final Login routeLogin;

  NatsAuthorization(String namespace, Map<NatsUser, Login> logins, Login routeLogin) {
    this.namespace = Infrastructure.requireNamespace(namespace);
    this.logins = new EnumMap<>(logins);
    this.routeLogin = requireNonNull(routeLogin, "routeLogin");
    if (!this.logins.keySet().containsAll(java.util.EnumSet.allOf(NatsUser.class))) {
      throw new IllegalArgumentException("every kind of NATS user needs a login: " + this.logins.keySet());
    }
  }

  /** Fresh passwords for every kind and for the routes. */
  static NatsAuthorization generate(String namespace) {
    Map<NatsUser, Login> logins = new EnumMap<>(NatsUser.class);
    for (NatsUser user : NatsUser.values()) {
      logins.put(user, Login.generate(user.user()));
    }
    return new NatsAuthorization(namespace, logins, Login.generate(ROUTE_USER));
  }

  Login login(NatsUser user) {
    return logins.get(user);
  }

  Login routeLogin() {
    return routeLogin;
  }

  /** The top-level {@code authorization} block; the monitoring port (health checks, metrics) stays open. */
  String render() {
    StringBuilder block = new StringBuilder("authorization {\n  users: [\n");
    logins.forEach((user, login) -> block.append("    { user: ").append(Quoting.quoted(login.user()))
        .append(", password: ").append(Quoting.quoted(login.password()))
        .append(", permissions: ").append(user.permissions(namespace).render()).append(" }\n"));
    return block.append("  ]\n}\n").toString();
  }
}
