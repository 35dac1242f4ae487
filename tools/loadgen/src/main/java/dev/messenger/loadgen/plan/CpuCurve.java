package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * CPU-seconds per second of a process kind as a function of the acknowledged rate, through the measured points
 * rather than along one line. A process's CPU grows less than in proportion to its rate (session 29's one node:
 * about 0.7 cores at 150 msg/s, 1.02 at 300, 1.22 at 500: at a higher rate more work shares a wake-up, a batch, a
 * request), so a line fitted over the measured rates has an intercept well above the CPU of an idle process, and
 * the cluster, whose instances each take a share of the messages, runs on the low part of the curve.
 *
 * <p>Points: runs at rates within {@link #SAME_RATE} of each other are one point, their mean. The points are made
 * non-decreasing by pooling neighbours that fall (isotonic regression, weighted by runs): more messages cannot
 * take less CPU, and a fall between two runs is noise. Between points the curve is linear; beyond the measured
 * rates it goes on with the slope of the least-squares line through every run (0 if that slope is negative),
 * and never below 0 cores.
 *
 * @param points (rate, cores) in increasing rate, non-decreasing cores
 * @param slopeBeyond CPU-seconds per message beyond the points: the least-squares slope through the runs
 */
public record CpuCurve(List<Point> points, double slopeBeyond) {
  /** Runs whose acknowledged rates differ by this share or less count as one point. */
  static final double SAME_RATE = 0.02;

  public CpuCurve {
    points = List.copyOf(points);
    if (points.isEmpty() || slopeBeyond < 0) {
      throw new IllegalArgumentException("a curve needs a point and a slope of 0 or more, not " + points.size()
          + " points and " + slopeBeyond);
    }
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).rate() <= points.get(i - 1).rate() || points.get(i).cores() < points.get(i - 1).cores()) {
        throw new IllegalArgumentException("a curve's points rise in rate and do not fall in cores: " + points);
      }
    }
  }

  /** A measured point: the mean rate and CPU of the runs it stands for. */
  public record Point(double rate, double cores, int runs) {}

  /** The curve through (rate, cores) runs, at two distinct rates or more. */
  public static CpuCurve fit(double[] rates, double[] cores) {
    if (rates.length != cores.length || rates.length < 2) {
      throw new IllegalArgumentException("a curve needs two runs or more, one core figure per rate");
    }
    List<Point> measured = new ArrayList<>();
    for (int i = 0; i < rates.length; i++) {
      measured.add(new Point(rates[i], cores[i], 1));
    }
    measured.sort(Comparator.comparingDouble(Point::rate));
    return new CpuCurve(nonDecreasing(sameRatesMerged(measured)), leastSquaresSlope(rates, cores));
  }

  private static double leastSquaresSlope(double[] rates, double[] cores) {
    SimpleRegression regression = new SimpleRegression();
    for (int i = 0; i < rates.length; i++) {
      regression.addData(rates[i], cores[i]);
    }
    double slope = regression.getSlope();
    if (Double.isNaN(slope)) {
      throw new IllegalArgumentException("a curve needs two distinct rates");
    }
    return Math.max(0, slope);
  }

  private static List<Point> sameRatesMerged(List<Point> sorted) {
    List<Point> merged = new ArrayList<>();
    for (Point point : sorted) {
      Point last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && point.rate() - last.rate() <= SAME_RATE * last.rate()) {
        merged.set(merged.size() - 1, mean(last, point));
      } else {
        merged.add(point);
      }
    }
    return merged;
  }

  /** Pool-adjacent-violators: each run of falling points becomes its weighted mean, kept at every rate. */
  private static List<Point> nonDecreasing(List<Point> points) {
    List<List<Point>> blocks = new ArrayList<>();
    List<Double> levels = new ArrayList<>();
    for (Point point : points) {
      blocks.add(new ArrayList<>(List.of(point)));
      levels.add(point.cores());
      while (blocks.size() > 1 && levels.get(levels.size() - 2) > levels.get(levels.size() - 1)) {
        List<Point> last = blocks.remove(blocks.size() - 1);
        levels.remove(levels.size() - 1);
        blocks.get(blocks.size() - 1).addAll(last);
        List<Point> pooled = blocks.get(blocks.size() - 1);
        levels.set(levels.size() - 1, pooled.stream().mapToDouble(p -> p.cores() * p.runs()).sum()
            / pooled.stream().mapToInt(Point::runs).sum());
      }
    }
    List<Point> result = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      double level = levels.get(b);
      blocks.get(b).forEach(p -> result.add(new Point(p.rate(), level, p.runs())));
    }
    return result;
  }

  private static Point mean(Point a, Point b) {
    int runs = a.runs() + b.runs();
    return new Point((a.rate() * a.runs() + b.rate() * b.runs()) / runs,
        (a.cores() * a.runs() + b.cores() * b.runs()) / runs, runs);
  }

  /** CPU-seconds per second at {@code rate} acknowledged messages per second. */
  public double at(double rate) {
    Point first = points.get(0);
    Point last = points.get(points.size() - 1);
    if (rate <= first.rate()) {
      return Math.max(0, first.cores() - slopeBeyond * (first.rate() - rate));
    }
    if (rate >= last.rate()) {
      return last.cores() + slopeBeyond * (rate - last.rate());
    }
    for (int i = 1; i < points.size(); i++) {
      Point high = points.get(i);
      if (rate <= high.rate()) {
        Point low = points.get(i - 1);
        return low.cores() + (high.cores() - low.cores()) * (rate - low.rate()) / (high.rate() - low.rate());
      }
    }
    throw new IllegalStateException("unreachable: " + rate + " lies within the points");
  }

  /** For the printed arithmetic: "0.052 at 10, 0.081 at 50, ...; beyond, 0.2 ms per message". */
  String describe() {
    return points.stream().map(p -> n(p.cores()) + " at " + n(p.rate())).collect(Collectors.joining(", "))
        + "; beyond, " + n(slopeBeyond * 1000) + " ms per message";
  }
}
