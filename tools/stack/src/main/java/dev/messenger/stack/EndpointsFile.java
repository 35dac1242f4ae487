package dev.messenger.stack;

import dev.messenger.client.TransportSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes where the running stack's etcd, NATS and CQL store are, with the logins they require, and the CA
 * that its TLS gRPC ports are signed by (MESSENGER_TLS_CA_FILE, with {@code --tls}) and the one its etcd, NATS and
 * CQL store are trusted by (MESSENGER_INFRA_CA_FILE; their URLs' schemes and MESSENGER_CQL_TLS say TLS), as
 * {@code NAME=value} lines in {@code <run dir>/endpoints.env}, readable by its owner only. The
 * {@code messenger} script reads it for the tools (the load generator, chat) started beside the stack: without it
 * a stack started with {@code --auth} has generated passwords that nothing outside the services knows.
 */
final class EndpointsFile {
  static final String NAME = "endpoints.env";

  private EndpointsFile() {}

  /** Writes the variables of {@code environment} that locate or log in to the infrastructure. */
  static Path write(Path runDir, Map<String, String> environment) throws IOException {
    Map<String, String> chosen = new TreeMap<>();
    environment.forEach((name, value) -> {
      if (isConnectionVariable(name)) {
        if (value.indexOf('\n') >= 0) {
          throw new IllegalArgumentException(name + " holds a line break: it cannot be written as one line");
        }
        chosen.put(name, value);
      }
    });
    StringBuilder text = new StringBuilder("# written by ./messenger up; read by ./messenger loadgen and chat\n");
    chosen.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    Path file = runDir.resolve(NAME);
    Path partial = runDir.resolve(NAME + ".partial");
    Files.deleteIfExists(partial);
    Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, text);
    return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static boolean isConnectionVariable(String name) {
    return name.startsWith("MESSENGER_NATS_") || name.startsWith("MESSENGER_CQL_")
        || name.equals("MESSENGER_ETCD_ENDPOINTS") || name.equals("MESSENGER_ETCD_USER")
        || name.equals("MESSENGER_ETCD_PASSWORD") || name.equals(TransportSecurity.CA_FILE_VARIABLE)
        || name.equals("MESSENGER_INFRA_CA_FILE");
  }
}
