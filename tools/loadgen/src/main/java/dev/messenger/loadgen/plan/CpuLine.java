package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.Optional;

/**
 * CPU-seconds per second of a process kind as a function of the acknowledged rate r:
 * {@code idleCores + perMessageSeconds * r}.
 *
 * @param idleCores CPU-seconds per second with no messages
 * @param perMessageSeconds CPU-seconds each acknowledged message adds
 * @param clamped why the least-squares line was not kept as fitted, when it was not
 */
public record CpuLine(double idleCores, double perMessageSeconds, Optional<String> clamped) {

  public CpuLine(double idleCores, double perMessageSeconds) {
    this(idleCores, perMessageSeconds, Optional.empty());
  }

  /**
   * The least-squares line through (rate, cores) points. A negative cost cannot be real (it is noise between
   * runs), so it is held at 0 and the other coefficient refitted by least squares with it held: a negative
   * per-message cost gives a flat line at the mean, a negative idle a line through the origin.
   */
  public static CpuLine fit(double[] rates, double[] cores) {
    if (rates.length != cores.length || rates.length < 2) {
      throw new IllegalArgumentException("a line needs two points or more, one core figure per rate");
    }
    double meanRate = 0;
    double meanCores = 0;
    for (int i = 0; i < rates.length; i++) {
      meanRate += rates[i] / rates.length;
      meanCores += cores[i] / rates.length;
    }
    double covariance = 0;
    double variance = 0;
    for (int i = 0; i < rates.length; i++) {
      covariance += (rates[i] - meanRate) * (cores[i] - meanCores);
      variance += (rates[i] - meanRate) * (rates[i] - meanRate);
    }
    if (variance == 0) {
      throw new IllegalArgumentException("a line needs two distinct rates");
    }
    double slope = covariance / variance;
    double idle = meanCores - slope * meanRate;
    if (slope < 0) {
      return new CpuLine(meanCores, 0, Optional.of("fitted per-message cost "
          + n(slope * 1000) + " ms was negative: held at 0, idle is the mean"));
    }
    if (idle < 0) {
      double sumProducts = 0;
      double sumSquares = 0;
      for (int i = 0; i < rates.length; i++) {
        sumProducts += rates[i] * cores[i];
        sumSquares += rates[i] * rates[i];
      }
      return new CpuLine(0, sumProducts / sumSquares, Optional.of("fitted idle " + n(idle)
          + " cores was negative: held at 0, the line goes through the origin"));
    }
    return new CpuLine(idle, slope);
  }

  /** CPU-seconds per second at {@code rate} acknowledged messages per second. */
  public double at(double rate) {
    return idleCores + perMessageSeconds * rate;
  }

  public double perMessageMillis() {
    return perMessageSeconds * 1000;
  }
}
