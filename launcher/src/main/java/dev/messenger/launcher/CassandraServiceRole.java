package dev.messenger.launcher;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Gives a local Cassandra that requires a login a role for the services and takes the default superuser away:
 * logs in as the default superuser (cassandra/cassandra, which Cassandra creates shortly after it accepts
 * connections), creates another superuser with a generated password that is not kept, and as that one creates
 * the role with LOGIN and all permissions on all keyspaces (so that the services can create their schema and use
 * it without being superusers) and drops the default superuser.
 */
final class CassandraServiceRole {
  private static final Login DEFAULT_SUPERUSER = new Login("cassandra", "cassandra");
  /** The superuser created in place of the default one, with a password that is not kept. */
  static final String SUPERUSER = "messenger_admin";
  private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private CassandraServiceRole() {}

  static void create(List<InetSocketAddress> contactPoints, String datacenter, Login role,
      Optional<LocalCertificates> tls, Duration timeout) {
    Login superuser = replaceDefaultSuperuser(contactPoints, datacenter, tls, timeout);
    try (CqlSession session = connect(contactPoints, datacenter, superuser, tls)) {
      // The password is set again when the role exists: a kept data directory has one from an earlier start.
      session.execute("CREATE ROLE IF NOT EXISTS " + role.user() + " WITH LOGIN = true AND PASSWORD = '"
          + role.password() + "'");
      session.execute("ALTER ROLE " + role.user() + " WITH PASSWORD = '" + role.password() + "'");
      session.execute("GRANT ALL PERMISSIONS ON ALL KEYSPACES TO " + role.user());
      // Everyone knows cassandra/cassandra: once another superuser exists, the default one must not log in.
      session.execute("DROP ROLE IF EXISTS " + DEFAULT_SUPERUSER.user());
    }
  }

  /**
   * Logs in as the default superuser once Cassandra has created it and creates another superuser, whose
   * generated password is returned and never kept: nobody needs a superuser after the start.
   */
  private static Login replaceDefaultSuperuser(List<InetSocketAddress> contactPoints, String datacenter,
      Optional<LocalCertificates> tls, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (CqlSession session = connect(contactPoints, datacenter, DEFAULT_SUPERUSER, tls)) {
        if (contactPoints.size() > 1) {
          // The roles must survive the loss of one node of the cluster, as the services' data does.
          session.execute("ALTER KEYSPACE system_auth WITH replication = "
              + "{'class': 'SimpleStrategy', 'replication_factor': " + contactPoints.size() + "}");
        }
        Login superuser = Login.generate(SUPERUSER);
        session.execute("CREATE ROLE IF NOT EXISTS " + superuser.user() + " WITH SUPERUSER = true AND LOGIN = true"
            + " AND PASSWORD = '" + superuser.password() + "'");
        session.execute("ALTER ROLE " + superuser.user() + " WITH PASSWORD = '" + superuser.password() + "'");
        return superuser;
      } catch (AllNodesFailedException | AuthenticationException | UnavailableException e) {
        // Until Cassandra has created its default superuser (after superuser_setup_delay), logging in as it
        // fails; on a kept data directory whose default superuser was dropped, it fails until the timeout.
        if (System.nanoTime() - deadline > 0) {
          throw new InfrastructureException("could not log in as the default CQL superuser within "
              + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
        pause();
      }
    }
  }

  private static CqlSession connect(List<InetSocketAddress> contactPoints, String datacenter, Login login,
      Optional<LocalCertificates> tls) {
    CqlSessionBuilder builder = CqlSession.builder()
        .addContactPoints(contactPoints)
        .withLocalDatacenter(datacenter)
        .withAuthCredentials(login.user(), login.password());
    tls.ifPresent(certificates -> builder.withSslEngineFactory(
        new ProgrammaticSslEngineFactory(certificates.clientSslContext(), null, true)));
    return builder.build();
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while creating the CQL role", e);
    }
  }
}
