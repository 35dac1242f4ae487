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
 * Gives a local Cassandra that requires a login a role for the services: logs in as the default superuser
 * (cassandra/cassandra, which Cassandra creates shortly after it accepts connections) and creates the role with
 * LOGIN and all permissions on all keyspaces, so that the services can create their schema and use it without
 * being superusers.
 */
final class CassandraServiceRole {
  private static final Login DEFAULT_SUPERUSER = new Login("cassandra", "cassandra");
  private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

  private CassandraServiceRole() {}

  static void create(List<InetSocketAddress> contactPoints, String datacenter, Login role,
      Optional<LocalCertificates> tls, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      CqlSessionBuilder builder = CqlSession.builder()
          .addContactPoints(contactPoints)
          .withLocalDatacenter(datacenter)
          .withAuthCredentials(DEFAULT_SUPERUSER.user(), DEFAULT_SUPERUSER.password());
      tls.ifPresent(certificates -> builder.withSslEngineFactory(
          new ProgrammaticSslEngineFactory(certificates.clientSslContext(), null, true)));
      try (CqlSession session = builder.build()) {
        if (contactPoints.size() > 1) {
          // The role must survive the loss of one node of the cluster, as the services' data does.
          session.execute("ALTER KEYSPACE system_auth WITH replication = "
              + "{'class': 'SimpleStrategy', 'replication_factor': " + contactPoints.size() + "}");
        }
        // The password is set again when the role exists: a kept data directory has one from an earlier start.
        session.execute("CREATE ROLE IF NOT EXISTS " + role.user() + " WITH LOGIN = true AND PASSWORD = '"
            + role.password() + "'");
        session.execute("ALTER ROLE " + role.user() + " WITH PASSWORD = '" + role.password() + "'");
        session.execute("GRANT ALL PERMISSIONS ON ALL KEYSPACES TO " + role.user());
        return;
      } catch (AllNodesFailedException | AuthenticationException | UnavailableException e) {
        // Until Cassandra has created its default superuser, logging in as it fails.
        if (System.nanoTime() - deadline > 0) {
          throw new InfrastructureException("could not create the CQL role " + role.user() + " within "
              + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
        pause();
      }
    }
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
