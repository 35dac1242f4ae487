package dev.messenger.loadgen.baseline;

import java.util.List;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * What a store's CPU costs per request and per partition written, fitted by least squares over measured
 * points: cores = fixed + seconds per request x requests/s + seconds per partition x partitions/s.
 *
 * @param fixedCores the intercept: the store's CPU at no load, as the line sees it
 * @param secondsPerRequest CPU a request costs beyond its partitions
 * @param secondsPerPartition CPU a partition written costs
 * @param requestStandardError the standard error of {@code secondsPerRequest}
 * @param partitionStandardError the standard error of {@code secondsPerPartition}
 * @param worstResidualCores the largest distance of a point from the fit
 */
public record RequestCostFit(double fixedCores, double secondsPerRequest, double secondsPerPartition,
    double requestStandardError, double partitionStandardError, double worstResidualCores) {
  /** Below this on the diagonal of the least-squares R factor the points are taken as degenerate. */
  private static final double SINGULAR = 1e-6;

  /** One measurement: the load and the store's CPU under it. */
  public record Point(double requestsPerSecond, double partitionsPerSecond, double cores) {}

  /** The fit; needs at least four points that vary requests and partitions apart from each other. */
  public static RequestCostFit of(List<Point> points) {
    if (points.size() < 4) {
      throw new IllegalArgumentException("at least four points to fit three costs, not " + points.size());
    }
    double[] cores = new double[points.size()];
    double[][] load = new double[points.size()][];
    for (int i = 0; i < points.size(); i++) {
      cores[i] = points.get(i).cores();
      load[i] = new double[] {points.get(i).requestsPerSecond(), points.get(i).partitionsPerSecond()};
    }
    OLSMultipleLinearRegression regression = new OLSMultipleLinearRegression(SINGULAR);
    regression.newSampleData(cores, load);
    try {
      double[] costs = regression.estimateRegressionParameters();
      double[] errors = regression.estimateRegressionParametersStandardErrors();
      double worst = 0;
      for (double residual : regression.estimateResiduals()) {
        worst = Math.max(worst, Math.abs(residual));
      }
      return new RequestCostFit(costs[0], costs[1], costs[2], errors[1], errors[2], worst);
    } catch (SingularMatrixException e) {
      throw new IllegalArgumentException("the points do not vary requests and partitions apart", e);
    }
  }
}
