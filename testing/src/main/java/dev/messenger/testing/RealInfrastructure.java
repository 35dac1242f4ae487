package dev.messenger.testing;

import dev.messenger.launcher.Infrastructure;
import dev.messenger.launcher.InfrastructureConfig;
import dev.messenger.launcher.InfrastructureEndpoints;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts real etcd, NATS (with JetStream) and a CQL store at most once per test JVM and injects
 * {@link InfrastructureEndpoints} (and {@link LocalParts}, the processes it started) into test constructors,
 * lifecycle and test methods.
 *
 * <p>Parts named by MESSENGER_ETCD_ENDPOINTS, MESSENGER_NATS_URL or MESSENGER_CQL_CONTACT_POINTS are reused instead of
 * started. Everything started stops when the test run ends.
 */
public final class RealInfrastructure implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RealInfrastructure.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    infrastructure(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == InfrastructureEndpoints.class || type == LocalParts.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalParts.class
        ? new LocalParts(infrastructure(context).localParts())
        : endpoints(context);
  }

  /** The endpoints of this JVM's shared infrastructure, starting it if needed. */
  public static InfrastructureEndpoints endpoints(ExtensionContext context) {
    return infrastructure(context).endpoints();
  }

  private static Infrastructure infrastructure(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
        Infrastructure.class,
        key -> Infrastructure.start(InfrastructureConfig.fromEnvironment(System.getenv())),
        Infrastructure.class);
  }
}
