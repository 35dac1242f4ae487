package dev.messenger.stack;

import dev.messenger.launcher.Infrastructure;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A part of the local infrastructure (one process, or every member of a cluster at once) stopped and started
 * again on its ports and data, and how long the services took to be SERVING again after it answered (they see
 * it gone, may turn NOT_SERVING, and reconnect on their own).
 */
record InfrastructureRestart(String name, List<Infrastructure.PartRestart> restarts, long servingAfterMillis,
    List<String> notServing) {
  static InfrastructureRestart of(Infrastructure infrastructure, String name, ServiceProcess.StopSignal signal,
      Collection<ServiceProcess> services) throws InterruptedException {
    boolean kill = signal == ServiceProcess.StopSignal.KILL;
    List<Infrastructure.PartRestart> restarts = infrastructure.clusters().containsKey(name)
        ? infrastructure.restartAll(name, kill)
        : List.of(infrastructure.restart(name, kill));
    long answeredAt = System.nanoTime();
    long deadline = answeredAt + ServiceProcess.SERVING_TIMEOUT.toNanos();
    List<String> notServing = new java.util.ArrayList<>();
    for (ServiceProcess service : services) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!service.awaitServing(left)) {
        notServing.add(service.spec().name() + (service.process().isAlive() ? " (" + DependenciesDown.of(service.spec())
            + ")" : " (exited)"));
      }
    }
    return new InfrastructureRestart(name, restarts, Duration.ofNanos(System.nanoTime() - answeredAt).toMillis(),
        List.copyOf(notServing));
  }

  boolean serving() {
    return notServing.isEmpty();
  }

  String toJson() {
    Infrastructure.PartRestart first = restarts.get(0);
    long startMillis = restarts.stream().mapToLong(r -> r.start().toMillis()).max().orElse(0);
    String members = restarts.stream().map(r -> String.format("{\"part\":\"%s\",\"old_pid\":%d,\"new_pid\":%d}",
        r.part(), r.oldPid(), r.newPid())).collect(Collectors.joining(",", "[", "]"));
    return String.format("{\"service\":\"%s\",\"signal\":\"%s\",\"old_pid\":%d,\"new_pid\":%d,"
            + "\"stop_ms\":%d,\"start_ms\":%d,\"services_serving_after_ms\":%d,\"serving\":%b,\"not_serving\":%s,"
            + "\"members\":%s}", name,
        first.killed() ? "KILL" : "TERM", first.oldPid(), first.newPid(), first.stop().toMillis(), startMillis,
        servingAfterMillis, serving(), notServing.stream().map(StackControl::jsonString)
            .collect(Collectors.joining(",", "[", "]")), members);
  }
}
