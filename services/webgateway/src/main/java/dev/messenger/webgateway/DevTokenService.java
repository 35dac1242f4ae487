package dev.messenger.webgateway;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.messenger.common.auth.Principal;
import dev.messenger.common.auth.Tokens;
import java.time.Duration;

/**
 * {@code POST /dev/token?user=U&device=D}: a token for any user, so the web app can sign in by name on a
 * development stack. The gateway mounts it only while the public development key signs tokens: such tokens
 * can be forged by anyone anyway, and with a real key this door does not exist.
 */
final class DevTokenService implements HttpService {
  private static final Duration TTL = Duration.ofHours(12);
  private final Tokens tokens;

  DevTokenService(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    QueryParams params = QueryParams.fromQueryString(ctx.query());
    String user = params.get("user", "");
    String device = params.get("device", "");
    if (!Tokens.isValidId(user) || !Tokens.isValidId(device)) {
      return HttpResponse.of(HttpStatus.BAD_REQUEST, MediaType.PLAIN_TEXT_UTF_8,
          "user and device must be 1 to 64 of letters, digits, '.', '_', '@', '-'");
    }
    String token = tokens.issue(new Principal(user, device), TTL);
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, "{\"token\":\"" + token + "\"}");
  }
}
