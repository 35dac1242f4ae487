package dev.messenger.stack;

import dev.messenger.launcher.Infrastructure;
import java.time.Duration;
import java.util.Collection;

/**
 * A part of the local infrastructure stopped and started again on its port and data, and how long the
 * services took to be SERVING again after it answered (they see it gone, may turn NOT_SERVING, and
 * reconnect on their own).
 */
record InfrastructureRestart(Infrastructure.PartRestart restart, long servingAfterMillis, boolean serving) {
  static InfrastructureRestart of(Infrastructure infrastructure, String part, ServiceProcess.StopSignal signal,
      Collection<ServiceProcess> services) throws InterruptedException {
    Infrastructure.PartRestart restart = infrastructure.restart(part, signal == ServiceProcess.StopSignal.KILL);
    long answeredAt = System.nanoTime();
    boolean serving = true;
    for (ServiceProcess service : services) {
      serving &= HealthProbe.awaitServing("127.0.0.1", service.spec().grpcPort(), ServiceProcess.SERVING_TIMEOUT,
          service.process()::isAlive);
    }
    return new InfrastructureRestart(restart, Duration.ofNanos(System.nanoTime() - answeredAt).toMillis(), serving);
  }

  String toJson() {
    return String.format("{\"service\":\"%s\",\"signal\":\"%s\",\"old_pid\":%d,\"new_pid\":%d,"
            + "\"stop_ms\":%d,\"start_ms\":%d,\"services_serving_after_ms\":%d,\"serving\":%b}", restart.part(),
        restart.killed() ? "KILL" : "TERM", restart.oldPid(), restart.newPid(), restart.stop().toMillis(),
        restart.start().toMillis(), servingAfterMillis, serving);
  }
}
