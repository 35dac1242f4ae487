package dev.messenger.loadgen;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How the commands that write to a scratch keyspace of their own replicate it and write to it. */
final class CqlScratchOptions {
  @Option(names = "--cql-replication", defaultValue = "{'class': 'SimpleStrategy', 'replication_factor': 1}",
      description = "Replication of the scratch keyspace. Default: ${DEFAULT-VALUE}.")
  String replication;

  @Option(names = "--cql-consistency", defaultValue = "QUORUM",
      description = "Write consistency, as the services use. Default: ${DEFAULT-VALUE}.")
  String consistency;

  ConsistencyLevel consistencyLevel() {
    return DefaultConsistencyLevel.valueOf(consistency.toUpperCase(Locale.ROOT));
  }
}
