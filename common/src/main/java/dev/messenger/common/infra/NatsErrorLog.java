package dev.messenger.common.infra;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends jnats' connection problems to our log (jnats' default prints every reconnect attempt as SEVERE). */
final class NatsErrorLog implements ErrorListener {
  private static final Logger log = LoggerFactory.getLogger(NatsErrorLog.class);

  private final String connectionName;

  NatsErrorLog(String connectionName) {
    this.connectionName = connectionName;
  }

  @Override
  public void errorOccurred(Connection conn, String error) {
    log.warn("nats {}: {}", connectionName, error);
  }

  @Override
  public void exceptionOccurred(Connection conn, Exception exp) {
    log.debug("nats {}: {}", connectionName, exp.toString());
  }

  @Override
  public void slowConsumerDetected(Connection conn, Consumer consumer) {
    log.warn("nats {}: slow consumer, messages dropped (receivers fill gaps from history)", connectionName);
  }
}
