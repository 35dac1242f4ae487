package dev.messenger.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * Waits until every node of a local Cassandra cluster has seen every other one up through gossip, so that a
 * keyspace created next with three replicas has all three from the start (its logs say so: a node that has
 * not yet seen a peer would place fewer replicas and answer QUORUM writes with "unavailable").
 */
final class CassandraRing {
  private CassandraRing() {}

  static void await(List<CassandraNode> nodes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (CassandraNode node : nodes) {
      for (CassandraNode peer : nodes) {
        if (peer == node) {
          continue;
        }
        String line = "/" + peer.contactPoint().getAddress().getHostAddress() + ":";
        while (!seesUp(node, line)) {
          if (System.nanoTime() - deadline > 0) {
            throw new InfrastructureException(node.process().name() + " did not see " + peer.process().name()
                + " up within " + timeout.toSeconds() + " s; last lines of its log:\n" + node.process().logTail(30));
          }
          if (!node.process().isAlive()) {
            throw new InfrastructureException(node.process().name() + " exited while the ring formed:\n"
                + node.process().logTail(30));
          }
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfrastructureException("interrupted while the Cassandra ring formed", e);
          }
        }
      }
    }
  }

  private static boolean seesUp(CassandraNode node, String peerAddress) {
    try {
      String log = new String(Files.readAllBytes(node.process().logFile()), StandardCharsets.ISO_8859_1);
      return log.lines().anyMatch(line -> line.contains(peerAddress) && line.contains("is now UP"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
