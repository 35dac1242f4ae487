package dev.messenger.stack;

import dev.messenger.client.TransportSecurity;
import dev.messenger.launcher.ChildProcess;
import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import dev.messenger.launcher.InfrastructureEndpoints;
import dev.messenger.launcher.JavaProcess;
import dev.messenger.launcher.LocalCertificates;
import dev.messenger.launcher.Login;
import dev.messenger.launcher.ModuleClasspath;
import dev.messenger.launcher.NatsUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * {@code ./messenger up}: starts etcd, NATS and the CQL store (or uses the ones configured), then every
 * service as its own process (with {@code --sessions=N}, N session servers; with {@code --routers=N}, N
 * routers sharing the shards; with {@code --cluster}, three nodes of etcd, NATS and Cassandra, the keyspace
 * with three replicas, and two session servers and two routers unless told otherwise; with {@code --auth}, a
 * local etcd, NATS and Cassandra that refuse clients without the generated logins the services are given; with
 * {@code --tls}, every service's gRPC port and the local etcd, NATS and Cassandra client ports serve TLS only, with
 * a certificate of a CA made for this run) and
 * the web gateway (base + 1000) in front of them, waits for each health check, opens the control port (base + 1900, see
 * {@link StackControl}), prints where everything listens and "messenger is ready". SIGTERM or Ctrl-C stops
 * the services, then the infrastructure.
 */
public final class StackMain {
  private StackMain() {}

  /**
   * History first: it creates the schema the others use. Ports are base + 100 (session) ... base + 500; the
   * n-th session server ("session-2", ...) listens on base + 100 + n - 1, the n-th router on base + 200 + n - 1.
   */
  static List<ServiceSpec> services(int base, int sessions, int routers) {
    List<ServiceSpec> specs = new ArrayList<>();
    specs.add(new ServiceSpec("history", "services/history", "dev.messenger.history.HistoryMain", base + 300,
        base + 2300));
    for (int i = 0; i < routers; i++) {
      specs.add(new ServiceSpec(i == 0 ? "router" : "router-" + (i + 1), "services/router",
          "dev.messenger.router.RouterMain", base + 200 + i, base + 2200 + i));
    }
    for (int i = 0; i < sessions; i++) {
      specs.add(new ServiceSpec(i == 0 ? "session" : "session-" + (i + 1), "services/session",
          "dev.messenger.session.SessionMain", base + 100 + i, base + 2100 + i));
    }
    specs.add(new ServiceSpec("presence", "services/presence", "dev.messenger.presence.PresenceMain", base + 400,
        base + 2400));
    specs.add(new ServiceSpec("push", "services/push", "dev.messenger.push.PushMain", base + 500, base + 2500));
    return specs;
  }

  /**
   * Arguments: the repository root, then optionally --base-port=7000, --run-dir=DIR, --sessions=1,
   * --routers=1, --cluster, --auth and --tls.
   */
  public static void main(String[] args) throws Exception {
    StackOptions options;
    try {
      options = StackOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("messenger up: " + e.getMessage());
      System.exit(2);
      return;
    }
    Path root = options.root();
    int basePort = options.basePort();
    Path runDir = options.runDir();
    boolean cluster = options.cluster();
    boolean auth = options.auth();
    List<ServiceSpec> specs = services(basePort, options.sessionCount(), options.routerCount());
    Files.createDirectories(runDir);
    Path logs = Files.createDirectories(runDir.resolve("logs"));
    InfrastructureConfig infrastructureConfig = InfrastructureConfig.fromEnvironment(System.getenv())
        .withDataDirectory(fresh(runDir.resolve("data"))).withNodes(cluster ? 3 : 1);
    if (auth) {
      infrastructureConfig = infrastructureConfig.withAuthentication();
    }
    Optional<LocalCertificates> certificates = options.tls()
        ? Optional.of(LocalCertificates.create(fresh(runDir.resolve("tls"))))
        : Optional.empty();
    if (certificates.isPresent()) {
      infrastructureConfig = infrastructureConfig.withTls(certificates.get());
    }
    // Each service reaches each local etcd member through a client port of its own, so that a fault can cut
    // one service off from etcd while it keeps NATS and the store, as a network partition would.
    Infrastructure infrastructure = Infrastructure.start(infrastructureConfig.withEtcdPaths(specs.size()),
        Optional.ofNullable(System.getenv("MESSENGER_NAMESPACE")).orElse(Infrastructure.DEFAULT_NAMESPACE));
    Map<String, List<String>> etcdPaths = etcdPaths(infrastructure, specs);
    EtcdCuts etcdCuts = etcdPaths.isEmpty()
        ? EtcdCuts.none() : EtcdCuts.open(etcdPaths, "MESSENGER-CUT-" + (basePort + 1900));
    NodeCuts nodeCuts = infrastructure.localParts().keySet().stream()
        .anyMatch(part -> infrastructure.ownAddress(part).isPresent())
        ? NodeCuts.open("MESSENGER-NODE-" + (basePort + 1900)) : NodeCuts.none();
    List<ServiceProcess> services = new ArrayList<>();
    List<ChildProcess> gateways = new ArrayList<>();
    AtomicReference<StackControl> control = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping messenger...");
      if (control.get() != null) {
        control.get().close();
      }
      gateways.forEach(gateway -> gateway.stop(Duration.ofSeconds(10)));
      for (int i = services.size() - 1; i >= 0; i--) {
        services.get(i).stop();
      }
      infrastructure.close();
      etcdCuts.close();
      nodeCuts.close();
      try {
        Files.deleteIfExists(runDir.resolve(EndpointsFile.NAME));
      } catch (IOException e) {
        System.err.println("could not remove " + runDir.resolve(EndpointsFile.NAME) + ": " + e);
      }
      System.out.println("messenger stopped");
      stopped.countDown();
    }, "stack-shutdown"));

    Map<String, String> env = new HashMap<>(infrastructure.endpoints().toEnvironment());
    // A one-machine development stack: services may sign with the public development key when no
    // MESSENGER_TOKEN_KEY is set (outside this mode they refuse to start without one).
    env.put("MESSENGER_DEV_MODE", "true");
    certificates.ifPresent(files -> env.putAll(tlsEnvironment(files)));
    if (cluster && System.getenv("MESSENGER_CQL_REPLICATION") == null) {
      env.put("MESSENGER_CQL_REPLICATION", "{'class': 'SimpleStrategy', 'replication_factor': 3}");
    }
    System.out.println("etcd       " + String.join(",", infrastructure.endpoints().etcdEndpoints()));
    System.out.println("etcd cuts  " + etcdCuts.describe());
    System.out.println("nats       " + infrastructure.endpoints().natsUrl());
    System.out.println("cql        " + env.get("MESSENGER_CQL_CONTACT_POINTS"));
    Path endpointsFile = EndpointsFile.write(runDir, env);
    System.out.println("endpoints  " + endpointsFile + " (read by ./messenger loadgen and chat)");
    printLogin("etcd", infrastructure.endpoints().etcdLogin());
    infrastructure.endpoints().natsLogin().ifPresent(tools -> System.out.printf(
        "%-10s a user per service, with the subjects it uses; %s (endpoints file) none of them%n", "nats login",
        tools.user()));
    printLogin("cql", infrastructure.endpoints().cqlLogin());
    if (options.tls()) {
      System.out.println("tls        gRPC ports and the local etcd, NATS and CQL client ports serve TLS only; CA "
          + env.get(TransportSecurity.CA_FILE_VARIABLE));
    }
    for (ServiceSpec spec : specs) {
      Map<String, String> serviceEnv = withNatsLoginOf(spec.natsUser(), env, infrastructure);
      if (etcdPaths.containsKey(spec.name())) {
        serviceEnv.put("MESSENGER_ETCD_ENDPOINTS", String.join(",", etcdPaths.get(spec.name())));
      }
      ServiceProcess service = new ServiceProcess(spec, root, logs, serviceEnv);
      services.add(service);
      // History creates the schema first: on a CQL store busy with other schema changes that alone can take
      // well over a minute.
      if (!service.start()) {
        ChildProcess process = service.process();
        System.err.println(spec.name() + " did not become healthy; last lines of " + process.logFile() + ":");
        System.err.println(process.logTail(30));
        System.exit(1);
      }
      System.out.printf("%-10s grpc 127.0.0.1:%d  metrics http://127.0.0.1:%d/metrics  log %s%n",
          spec.name(), spec.grpcPort(), spec.metricsPort(), service.process().logFile());
    }
    String sessionTargets = specs.stream().filter(spec -> spec.module().equals("services/session"))
        .map(spec -> "127.0.0.1:" + spec.grpcPort()).collect(Collectors.joining(","));
    int webPort = basePort + 1000;
    ChildProcess web = JavaProcess.builder("dev.messenger.webgateway.WebGatewayMain")
        .name("web")
        .classpath(ModuleClasspath.of(root, "services/webgateway"))
        .jvmOptions("-Xms32m", "-Xmx256m", "-XX:+UseG1GC")
        .environment(withNatsLoginOf(Optional.empty(), env, infrastructure))
        .args("--port=" + webPort, "--web-root=" + root.resolve("clients/web/dist"),
            "--session-targets=" + sessionTargets, "--history-target=127.0.0.1:" + (basePort + 300),
            "--presence-target=127.0.0.1:" + (basePort + 400), "--push-target=127.0.0.1:" + (basePort + 500))
        .logFile(logs.resolve("web.log"))
        .stopGrace(Duration.ofSeconds(10))
        .start();
    gateways.add(web);
    if (!HealthProbe.awaitHttpOk("http://127.0.0.1:" + webPort + "/healthz", Duration.ofSeconds(60), web::isAlive)) {
      System.err.println("the web gateway did not come up; last lines of " + web.logFile() + ":");
      System.err.println(web.logTail(30));
      System.exit(1);
    }
    System.out.printf("web http://127.0.0.1:%d/%n", webPort);
    control.set(StackControl.start(basePort + 1900, services, infrastructure, etcdCuts, nodeCuts));
    System.out.printf("control http://127.0.0.1:%d/services%n", control.get().port());
    System.out.println("messenger is ready");
    stopped.await();
  }

  /**
   * {@code env} with the NATS login of {@code user} in place of the tools' one, or without a NATS login for a
   * process that does not use NATS.
   */
  private static Map<String, String> withNatsLoginOf(Optional<NatsUser> user, Map<String, String> env,
      Infrastructure infrastructure) {
    Map<String, String> withLogin = new HashMap<>(env);
    withLogin.remove(InfrastructureEndpoints.NATS_USER_VARIABLE);
    withLogin.remove(InfrastructureEndpoints.NATS_PASSWORD_VARIABLE);
    user.flatMap(u -> infrastructure.endpointsFor(u).natsLogin()).ifPresent(login -> {
      withLogin.put(InfrastructureEndpoints.NATS_USER_VARIABLE, login.user());
      withLogin.put(InfrastructureEndpoints.NATS_PASSWORD_VARIABLE, login.password());
    });
    return withLogin;
  }

  /** Each service's own etcd URLs (one per member) by name; empty when etcd is not local. */
  private static Map<String, List<String>> etcdPaths(Infrastructure infrastructure, List<ServiceSpec> specs) {
    boolean localEtcd = infrastructure.localParts().keySet().stream()
        .anyMatch(part -> part.startsWith(Infrastructure.ETCD));
    Map<String, List<String>> paths = new HashMap<>();
    for (int i = 0; localEtcd && i < specs.size(); i++) {
      paths.put(specs.get(i).name(), infrastructure.etcdPathEndpoints(i));
    }
    return paths;
  }

  /** "nats login messenger", padded like the other lines; the password stays in the services' environment. */
  private static void printLogin(String part, Optional<Login> login) {
    login.ifPresent(l -> System.out.println(String.format("%-10s %s (password in the services' environment)",
        part + " login", l.user())));
  }

  /**
   * Every service presents the server certificate; the web gateway, the health probe and the tools started
   * beside the stack (through the endpoints file) trust the CA.
   */
  private static Map<String, String> tlsEnvironment(LocalCertificates certificates) {
    return Map.of(
        "MESSENGER_TLS_CERT_FILE", certificates.serverCertificateChain().toString(),
        "MESSENGER_TLS_KEY_FILE", certificates.serverKey().toString(),
        TransportSecurity.CA_FILE_VARIABLE, certificates.caCertificate().toString());
  }

  private static Path fresh(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (var paths = Files.walk(directory)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return Files.createDirectories(directory);
  }
}
