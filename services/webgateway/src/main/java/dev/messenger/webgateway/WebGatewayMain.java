package dev.messenger.webgateway;

import dev.messenger.common.auth.TokenKeySource;
import dev.messenger.common.config.ServiceName;
import dev.messenger.common.config.Settings;
import dev.messenger.common.server.ShutdownSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the web gateway. */
public final class WebGatewayMain {
  private static final Logger log = LoggerFactory.getLogger(WebGatewayMain.class);

  private WebGatewayMain() {}

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.forService(ServiceName.WEBGATEWAY, args, System.getenv());
    WebGatewayConfig config = WebGatewayConfig.from(settings, TokenKeySource.keys(settings));
    WebGateway gateway = WebGateway.start(config);
    log.info("web gateway on http://{}:{}/ serving {}, sessions {}", config.host(), gateway.port(),
        config.webRoot().toAbsolutePath(), config.sessionTargets());
    ShutdownSignal.install(gateway::close).await();
  }
}
