package dev.messenger.loadgen.baseline;

import java.util.List;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * What a store's CPU costs per request and per partition written, fitted by least squares over measured
 * points: cores = idle + seconds per request x requests/s + seconds per partition x partitions/s.
 *
 * @param idleCores the store's CPU with no load
 * @param secondsPerRequest CPU a request costs beyond its partitions
 * @param secondsPerPartition CPU a partition written costs
 * @param worstResidualCores the largest distance of a point from the fit
 */
public record RequestCostFit(double idleCores, double secondsPerRequest, double secondsPerPartition,
    double worstResidualCores) {

  /** One measurement: the load and the store's CPU under it. */
  public record Point(double requestsPerSecond, double partitionsPerSecond, double cores) {}

  /** The fit; needs at least four points that vary requests and partitions apart from each other. */
  public static RequestCostFit of(List<Point> points) {
    if (points.size() < 4) {
      throw new IllegalArgumentException("at least four points to fit three costs, not " + points.size());
    }
    long ratios = points.stream().filter(p -> p.requestsPerSecond() > 0)
        .map(p -> Math.round(p.partitionsPerSecond() / p.requestsPerSecond() * 1000)).distinct().count();
    if (ratios < 2) {
      throw new IllegalArgumentException("the points do not vary requests and partitions apart: add shapes with "
          + "the same requests and more partitions each");
    }
    double[] cores = new double[points.size()];
    double[][] load = new double[points.size()][];
    for (int i = 0; i < points.size(); i++) {
      cores[i] = points.get(i).cores();
      load[i] = new double[] {points.get(i).requestsPerSecond(), points.get(i).partitionsPerSecond()};
    }
    OLSMultipleLinearRegression regression = new OLSMultipleLinearRegression();
    regression.newSampleData(cores, load);
    double[] costs;
    double[] residuals;
    try {
      costs = regression.estimateRegressionParameters();
      residuals = regression.estimateResiduals();
    } catch (SingularMatrixException e) {
      throw new IllegalArgumentException("the points do not vary requests and partitions apart", e);
    }
    double worst = 0;
    for (double residual : residuals) {
      worst = Math.max(worst, Math.abs(residual));
    }
    return new RequestCostFit(costs[0], costs[1], costs[2], worst);
  }
}
