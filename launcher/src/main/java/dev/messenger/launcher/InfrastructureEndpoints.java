package dev.messenger.launcher;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where etcd, NATS and the CQL store can be reached.
 *
 * <p>Services read these from MESSENGER_* environment variables ({@link #fromEnvironment}); launchers hand them to
 * child processes with {@link #toEnvironment}.
 *
 * @param etcdEndpoints etcd client URLs, e.g. {@code http://127.0.0.1:2379}
 * @param natsUrl NATS server URL, e.g. {@code nats://127.0.0.1:4222}
 * @param cqlContactPoints CQL native transport addresses
 * @param cqlLocalDatacenter the datacenter the CQL driver treats as local
 * @param natsLogin the user and password NATS requires (of a local NATS with a user per kind, the tools' one,
 *     see {@link Infrastructure#endpointsFor}); empty when it lets anyone in
 * @param cqlLogin the user and password the CQL store requires; empty when it lets anyone in
 * @param etcdLogin the user and password etcd requires; empty when it lets anyone in
 * @param cqlTls whether the CQL store is reached over TLS (etcd and NATS say it by their URLs' schemes)
 * @param infraCaFile the PEM CA that the parts serving TLS are trusted by; empty when none does
 */
public record InfrastructureEndpoints(
    List<String> etcdEndpoints,
    String natsUrl,
    List<InetSocketAddress> cqlContactPoints,
    String cqlLocalDatacenter,
    Optional<Login> natsLogin,
    Optional<Login> cqlLogin,
    Optional<Login> etcdLogin,
    boolean cqlTls,
    Optional<Path> infraCaFile) {

  /** Comma-separated etcd client URLs. */
  public static final String ETCD_ENDPOINTS_VARIABLE = EnvironmentVariables.ETCD_ENDPOINTS;
  /** NATS server URL. */
  public static final String NATS_URL_VARIABLE = EnvironmentVariables.NATS_URL;
  /** Comma-separated host:port CQL contact points. */
  public static final String CQL_CONTACT_POINTS_VARIABLE = EnvironmentVariables.CQL_CONTACT_POINTS;
  /** CQL local datacenter; {@value #DEFAULT_DATACENTER} when absent. */
  public static final String CQL_DATACENTER_VARIABLE = EnvironmentVariables.CQL_DATACENTER;
  /** etcd user and password. */
  public static final String ETCD_USER_VARIABLE = EnvironmentVariables.ETCD_USER;
  public static final String ETCD_PASSWORD_VARIABLE = EnvironmentVariables.ETCD_PASSWORD;
  /** NATS user and password. */
  public static final String NATS_USER_VARIABLE = EnvironmentVariables.NATS_USER;
  public static final String NATS_PASSWORD_VARIABLE = EnvironmentVariables.NATS_PASSWORD;
  /** CQL user and password. */
  public static final String CQL_USER_VARIABLE = EnvironmentVariables.CQL_USER;
  public static final String CQL_PASSWORD_VARIABLE = EnvironmentVariables.CQL_PASSWORD;
  /** "true" when the CQL store is reached over TLS. */
  public static final String CQL_TLS_VARIABLE = EnvironmentVariables.CQL_TLS;
  /** The PEM CA trusted for etcd, NATS and CQL over TLS. */
  public static final String INFRA_CA_FILE_VARIABLE = EnvironmentVariables.INFRA_CA_FILE;
  /** The datacenter name of a single-node Cassandra or ScyllaDB started with default settings. */
  public static final String DEFAULT_DATACENTER = "datacenter1";

  public InfrastructureEndpoints {
    etcdEndpoints = List.copyOf(etcdEndpoints);
    requireNonNull(natsUrl, "natsUrl");
    cqlContactPoints = List.copyOf(cqlContactPoints);
    requireNonNull(cqlLocalDatacenter, "cqlLocalDatacenter");
    natsLogin = natsLogin == null ? Optional.empty() : natsLogin;
    cqlLogin = cqlLogin == null ? Optional.empty() : cqlLogin;
    etcdLogin = etcdLogin == null ? Optional.empty() : etcdLogin;
    infraCaFile = infraCaFile == null ? Optional.empty() : infraCaFile;
    if (etcdEndpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one etcd endpoint is needed");
    }
    if (cqlContactPoints.isEmpty()) {
      throw new IllegalArgumentException("at least one CQL contact point is needed");
    }
  }

  /** Endpoints reached in plaintext, with these logins. */
  public InfrastructureEndpoints(
      List<String> etcdEndpoints, String natsUrl, List<InetSocketAddress> cqlContactPoints,
      String cqlLocalDatacenter, Optional<Login> natsLogin, Optional<Login> cqlLogin, Optional<Login> etcdLogin) {
    this(etcdEndpoints, natsUrl, cqlContactPoints, cqlLocalDatacenter, natsLogin, cqlLogin, etcdLogin, false,
        Optional.empty());
  }

  /** Endpoints that let anyone in. */
  public InfrastructureEndpoints(
      List<String> etcdEndpoints, String natsUrl, List<InetSocketAddress> cqlContactPoints,
      String cqlLocalDatacenter) {
    this(etcdEndpoints, natsUrl, cqlContactPoints, cqlLocalDatacenter, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** Reads all endpoints from MESSENGER_* variables; empty unless etcd, NATS and CQL are all given. */
  public static Optional<InfrastructureEndpoints> fromEnvironment(Map<String, String> env) {
    List<String> etcd = EnvironmentVariables.list(env, EnvironmentVariables.ETCD_ENDPOINTS);
    Optional<String> nats = EnvironmentVariables.value(env, EnvironmentVariables.NATS_URL);
    List<InetSocketAddress> cql = EnvironmentVariables.hostPorts(env, EnvironmentVariables.CQL_CONTACT_POINTS);
    if (etcd.isEmpty() || nats.isEmpty() || cql.isEmpty()) {
      return Optional.empty();
    }
    String datacenter = EnvironmentVariables.value(env, EnvironmentVariables.CQL_DATACENTER).orElse(DEFAULT_DATACENTER);
    return Optional.of(new InfrastructureEndpoints(etcd, nats.get(), cql, datacenter,
        EnvironmentVariables.login(env, EnvironmentVariables.NATS_USER, EnvironmentVariables.NATS_PASSWORD),
        EnvironmentVariables.login(env, EnvironmentVariables.CQL_USER, EnvironmentVariables.CQL_PASSWORD),
        EnvironmentVariables.login(env, EnvironmentVariables.ETCD_USER, EnvironmentVariables.ETCD_PASSWORD),
        EnvironmentVariables.value(env, EnvironmentVariables.CQL_TLS).map(Boolean::parseBoolean).orElse(false),
        EnvironmentVariables.value(env, EnvironmentVariables.INFRA_CA_FILE).map(Path::of)));
  }

  /**
   * The MESSENGER_* variables that {@link #fromEnvironment} reads back into these endpoints, logins
   * included: hand them to processes only, never to a log.
   */
  public Map<String, String> toEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ETCD_ENDPOINTS_VARIABLE, String.join(",", etcdEndpoints));
    env.put(NATS_URL_VARIABLE, natsUrl);
    env.put(
        CQL_CONTACT_POINTS_VARIABLE,
        cqlContactPoints.stream().map(EnvironmentVariables::formatHostPort).collect(Collectors.joining(",")));
    env.put(CQL_DATACENTER_VARIABLE, cqlLocalDatacenter);
    putLogin(env, NATS_USER_VARIABLE, NATS_PASSWORD_VARIABLE, natsLogin);
    putLogin(env, CQL_USER_VARIABLE, CQL_PASSWORD_VARIABLE, cqlLogin);
    putLogin(env, ETCD_USER_VARIABLE, ETCD_PASSWORD_VARIABLE, etcdLogin);
    if (cqlTls) {
      env.put(CQL_TLS_VARIABLE, "true");
    }
    infraCaFile.ifPresent(file -> env.put(INFRA_CA_FILE_VARIABLE, file.toString()));
    return Collections.unmodifiableMap(env);
  }

  private static void putLogin(Map<String, String> env, String user, String password, Optional<Login> login) {
    login.ifPresent(l -> {
      env.put(user, l.user());
      env.put(password, l.password());
    });
  }
}
