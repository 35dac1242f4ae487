package dev.messenger.common.infra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import dev.messenger.common.config.KnownSettings;
import dev.messenger.common.config.Settings;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where etcd, NATS and the CQL store are, as every service reads it: MESSENGER_ETCD_ENDPOINTS (comma-separated
 * URLs), MESSENGER_NATS_URL, MESSENGER_CQL_CONTACT_POINTS (comma-separated host:port) and
 * MESSENGER_CQL_DATACENTER, or the same names as flags. MESSENGER_ETCD_USER with MESSENGER_ETCD_PASSWORD,
 * MESSENGER_NATS_USER with MESSENGER_NATS_PASSWORD and MESSENGER_CQL_USER with MESSENGER_CQL_PASSWORD are the
 * credentials presented to etcd, NATS and the CQL store; each part without them is reached anonymously.
 * {@link InfraTls} says which parts are reached over TLS and which CA they are trusted by.
 */
public record InfraSettings(
    List<String> etcdEndpoints,
    String natsUrl,
    List<InetSocketAddress> cqlContactPoints,
    String cqlDatacenter,
    Optional<Credentials> natsCredentials,
    Optional<Credentials> cqlCredentials,
    Optional<Credentials> etcdCredentials,
    InfraTls tls) {
  static final Duration SPECULATIVE_DELAY = Duration.ofMillis(250);
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);

  private static final Duration SCHEMA_REFRESH_WINDOW = Duration.ofMillis(50);
  static final Duration ETCD_KEEPALIVE_TIME = Duration.ofSeconds(6);
  static final Duration NATS_PING_INTERVAL = Duration.ofSeconds(2);
  static final int NATS_MAX_PINGS_OUT = 3;
  static final Duration ETCD_KEEPALIVE_TIMEOUT = Duration.ofSeconds(3);

  public InfraSettings {
    etcdEndpoints = List.copyOf(etcdEndpoints);
    cqlContactPoints = List.copyOf(cqlContactPoints);
    if (cqlDatacenter == null || cqlDatacenter.isBlank()) {
      cqlDatacenter = "datacenter1";
    }
    natsCredentials = natsCredentials == null ? Optional.empty() : natsCredentials;
    cqlCredentials = cqlCredentials == null ? Optional.empty() : cqlCredentials;
    etcdCredentials = etcdCredentials == null ? Optional.empty() : etcdCredentials;
    tls = tls == null ? InfraTls.none() : tls;
  }

  /** Plaintext connections to etcd, NATS and the CQL store, with these credentials. */
  public InfraSettings(
      List<String> etcdEndpoints, String natsUrl, List<InetSocketAddress> cqlContactPoints, String cqlDatacenter,
      Optional<Credentials> natsCredentials, Optional<Credentials> cqlCredentials,
      Optional<Credentials> etcdCredentials) {
    this(etcdEndpoints, natsUrl, cqlContactPoints, cqlDatacenter, natsCredentials, cqlCredentials, etcdCredentials,
        InfraTls.none());
  }

  /** Anonymous connections to etcd, NATS and the CQL store. */
  public InfraSettings(
      List<String> etcdEndpoints, String natsUrl, List<InetSocketAddress> cqlContactPoints, String cqlDatacenter) {
    this(etcdEndpoints, natsUrl, cqlContactPoints, cqlDatacenter, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** The MESSENGER_* variables that hand these credentials to a child process; empty when there are none. */
  public Map<String, String> credentialVariables() {
    Map<String, String> variables = new LinkedHashMap<>();
    putCredentials(variables, "nats", natsCredentials);
    putCredentials(variables, "cql", cqlCredentials);
    putCredentials(variables, "etcd", etcdCredentials);
    return variables;
  }

  private static void putCredentials(Map<String, String> variables, String prefix, Optional<Credentials> credentials) {
    credentials.ifPresent(c -> {
      variables.put(KnownSettings.variableName(prefix + "-user"), c.user());
      variables.put(KnownSettings.variableName(prefix + "-password"), c.password());
    });
  }

  public static InfraSettings from(Settings settings) {
    List<String> etcdEndpoints = settings.list("etcd-endpoints").isEmpty()
        ? List.of("http://127.0.0.1:2379")
        : settings.list("etcd-endpoints");
    String natsUrl = settings.string("nats-url", "nats://127.0.0.1:4222");
    return new InfraSettings(
        etcdEndpoints,
        natsUrl,
        (settings.list("cql-contact-points").isEmpty()
                ? List.of("127.0.0.1:9042")
                : settings.list("cql-contact-points"))
            .stream()
            .map(InfraSettings::hostPort)
            .toList(),
        settings.string("cql-datacenter", "datacenter1"),
        Credentials.from(settings, "nats"),
        Credentials.from(settings, "cql"),
        Credentials.from(settings, "etcd"),
        InfraTls.from(settings, etcdEndpoints, natsUrl));
  }

  /**
   * An etcd client on an event loop thread of its own. By default jetcd shares grpc-java's event loops, which
   * a session server also serves 2,000 device connections with: under overload those two threads got so
   * little CPU that etcd's answers sat unread in the socket for seconds, and the server's registration lease
   * expired (presence then took all its users offline). A thread that is mostly idle is scheduled at once.
   */
  public Client connectEtcd() {
    Vertx ownLoop = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1));
    return etcdClientBuilder().useVertx().vertx(ownLoop).build();
  }

  /**
   * The endpoints and, when given, the user and password that {@link #connectEtcd} connects with. A connection
   * that stops answering pings within {@link #ETCD_KEEPALIVE_TIMEOUT} is replaced: after a partition heals, a
   * new connection works at once, where the old one waits out TCP's retransmission backoff (10 s and more
   * after 15 s of loss). Pings go only while calls are open (watches, requests waiting for an answer): etcd
   * refuses pings more often than every 5 s, and on a connection without calls at all.
   */
  ClientBuilder etcdClientBuilder() {
    ClientBuilder builder = Client.builder().endpoints(etcdEndpoints.toArray(String[]::new))
        .keepaliveTime(ETCD_KEEPALIVE_TIME)
        .keepaliveTimeout(ETCD_KEEPALIVE_TIMEOUT)
        .keepaliveWithoutCalls(false);
    if (tls.etcd()) {
      builder.sslContext(tls.grpcSslContext());
    }
    etcdCredentials.ifPresent(c -> builder
        .user(ByteSequence.from(c.user(), StandardCharsets.UTF_8))
        .password(ByteSequence.from(c.password(), StandardCharsets.UTF_8)));
    return builder;
  }

  public Connection connectNats(String connectionName) {
    try {
      return Nats.connect(natsOptions(connectionName).build());
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to NATS at " + natsUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS", e);
    }
  }

  /**
   * How {@link #connectNats} connects, for clients that tune more: a cluster is given as a comma-separated
   * list; the client connects to one and fails over to the others.
   */
  public Options.Builder natsOptions(String connectionName) {
    Options.Builder options =
        new Options.Builder()
            .servers(natsUrl.split(","))
            .connectionName(connectionName)
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(200))
            .connectionTimeout(Duration.ofSeconds(5))
            // A server cut off by the network answers nothing and resets nothing: with a PING every 2 s and
            // the connection ended at the fourth while three are unanswered, the client moves to another
            // server within 6-8 s (jnats' default pings every 2 minutes). The servers cut a silent client
            // sooner (ping_interval 2s, ping_max 2); a server that stalls is given a little longer here.
            .pingInterval(NATS_PING_INTERVAL)
            .maxPingsOut(NATS_MAX_PINGS_OUT)
            .errorListener(new NatsErrorLog(connectionName));
    natsCredentials.ifPresent(c -> options.userInfo(c.user(), c.password()));
    if (tls.nats()) {
      options.sslContext(tls.sslContext());
    }
    return options;
  }

  /** A session without a keyspace; the caller creates or selects its keyspace. */
  public CqlSession connectCql() {
    CqlSessionBuilder builder = CqlSession.builder()
        .addContactPoints(cqlContactPoints)
        .withLocalDatacenter(cqlDatacenter)
        .withConfigLoader(cqlDriverConfig());
    if (tls.cql()) {
      // The driver checks no host name unless asked: each node's certificate must name its address.
      builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(tls.sslContext(), null, true));
    }
    return builder.build();
  }

  DriverConfigLoader cqlDriverConfig() {
    // Bursts queue in the driver (bounded) instead of failing with "no connection available". A node that
    // comes back is tried again within 2 s: the driver's default backoff grows to a minute, so a store
    // restarted after 30 s of absence would stay unused for up to another half minute. A schema change
    // completes only after the driver's schema refresh, which by default first waits a second for more
    // changes: creating the history schema (about twenty statements) took 15 s, 3 s with 50 ms.
    // A store node cut off by the network (not killed: nothing resets its connections) keeps getting a share
    // of the requests until they time out: an idempotent request (every write of the message path is one)
    // unanswered after SPECULATIVE_DELAY also goes to the next replica, and a connection that has read nothing
    // for HEARTBEAT_INTERVAL is probed and, unanswered for HEARTBEAT_TIMEOUT, closed, so the driver stops
    // choosing that node. With 5 s and the driver's 5 s timeout a cut store node 1 (the first contact point,
    // carrier of the driver's control connection) held delivery p99 at 7-12 s; with 3 s and 1 s at 1.6-2.9 s.
    ProgrammaticDriverConfigLoaderBuilder config = DriverConfigLoader.programmaticBuilder()
        .withString(DefaultDriverOption.SPECULATIVE_EXECUTION_POLICY_CLASS, "ConstantSpeculativeExecutionPolicy")
        .withInt(DefaultDriverOption.SPECULATIVE_EXECUTION_MAX, 2)
        .withDuration(DefaultDriverOption.SPECULATIVE_EXECUTION_DELAY, SPECULATIVE_DELAY)
        .withDuration(DefaultDriverOption.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL)
        .withDuration(DefaultDriverOption.HEARTBEAT_TIMEOUT, HEARTBEAT_TIMEOUT)
        .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 2)
        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
        .withString(DefaultDriverOption.REQUEST_THROTTLER_CLASS, "ConcurrencyLimitingRequestThrottler")
        .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, 2048)
        .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, 50_000)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(250))
        .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, SCHEMA_REFRESH_WINDOW);
    cqlCredentials.ifPresent(c -> config
        .withString(DefaultDriverOption.AUTH_PROVIDER_CLASS, "PlainTextAuthProvider")
        .withString(DefaultDriverOption.AUTH_PROVIDER_USER_NAME, c.user())
        .withString(DefaultDriverOption.AUTH_PROVIDER_PASSWORD, c.password()));
    return config.build();
  }

  static InetSocketAddress hostPort(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got: " + value);
    }
    return new InetSocketAddress(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
  }
}
