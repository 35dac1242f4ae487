package dev.messenger.loadgen;

import dev.messenger.loadgen.run.WindowProbe;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** What {@code run} and {@code sweep} measure of the deployment over a run's window, from their options. */
final class DeploymentProbes {
  private DeploymentProbes() {}

  /**
   * The services' metrics when endpoints are given; with processes named, their CPU, how their threads were
   * scheduled and, timed now before the run starts, the machine's speed.
   */
  static WindowProbe of(List<URI> metrics, Map<String, Long> cpuPids) {
    WindowProbe scraper = metrics.isEmpty() ? WindowProbe.NONE : new MetricsScraper(metrics);
    if (cpuPids.isEmpty()) {
      return scraper;
    }
    WindowProbe processes = WindowProbe.both(new ProcessCpuProbe(cpuPids), new SchedulingProbe(cpuPids));
    return WindowProbe.both(scraper, WindowProbe.both(processes, MachineSpeedProbe.measuredNow()));
  }
}
