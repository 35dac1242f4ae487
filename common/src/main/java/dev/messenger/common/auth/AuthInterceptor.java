package dev.messenger.common.auth;

import dev.messenger.common.errors.ApiErrors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;
import java.util.Set;

/**
 * Rejects calls without a valid "authorization: Bearer &lt;token&gt;" header with UNAUTHENTICATED and puts
 * the caller's {@link Principal} into the call context. Services listed as public pass without a token;
 * every service of the product lists none (discovery needs a token too).
 */
public final class AuthInterceptor implements ServerInterceptor {
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final Tokens tokens;
  private final Set<String> publicServices;

  public AuthInterceptor(Tokens tokens, Set<String> publicServices) {
    this.tokens = tokens;
    this.publicServices = Set.copyOf(publicServices);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (publicServices.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String header = headers.get(AUTHORIZATION);
    Optional<Principal> principal =
        header != null && header.startsWith(BEARER)
            ? tokens.verify(header.substring(BEARER.length()).trim())
            : Optional.empty();
    if (principal.isEmpty()) {
      var error = header == null
          ? ApiErrors.unauthenticated("MISSING_TOKEN", "missing 'authorization: Bearer <token>' header")
          : ApiErrors.unauthenticated("INVALID_TOKEN", "the token is invalid or expired");
      call.close(error.getStatus(), error.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context context = Context.current().withValue(Principal.CONTEXT_KEY, principal.get());
    return Contexts.interceptCall(context, call, headers, next);
  }
}
