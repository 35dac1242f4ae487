package dev.messenger.loadgen.plan;

import static dev.messenger.loadgen.plan.PlanNumbers.n;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * CPU-seconds per second of a process kind as a function of the acknowledged rate, through the measured points
 * rather than along one line. A process's CPU grows less than in proportion to its rate (session 29's one node:
 * 0.70 cores at 150 msg/s, 1.02 at 300, 1.23 at 500: at a higher rate more work shares a wake-up, a batch, a
 * request), so a line fitted over the measured rates has an intercept well above the CPU of an idle process, and
 * the cluster, whose instances each take a share of the messages, runs on the low part of the curve.
 *
 * <p>Points: runs at rates within {@link #SAME_RATE} of each other are one point, their mean. The points are made
 * non-decreasing by pooling neighbours that fall (isotonic regression, weighted by runs): more messages cannot
 * take less CPU, and a fall between two runs is noise. Between points the curve is linear; beyond the measured
 * rates it goes on with the slope of the least-squares line through every run ({@link CpuLine#fit}), and never
 * below 0 cores.
 *
 * @param points (rate, cores) in increasing rate, non-decreasing cores
 * @param line the least-squares line through the runs, whose slope continues the curve beyond its ends
 */
public record CpuCurve(List<Point> points, CpuLine line) {
  /** Runs whose acknowledged rates differ by this share or less count as one point. */
  static final double SAME_RATE = 0.02;

  public CpuCurve {
    points = List.copyOf(points);
    if (points.isEmpty()) {
      throw new IllegalArgumentException("a curve needs a point");
    }
  }

  /** A measured point: the mean rate and CPU of the runs it stands for. */
  public record Point(double rate, double cores, int runs) {}

  public static CpuCurve fit(double[] rates, double[] cores) {
    CpuLine line = CpuLine.fit(rates, cores);
    List<Point> measured = new ArrayList<>();
    for (int i = 0; i < rates.length; i++) {
      measured.add(new Point(rates[i], cores[i], 1));
    }
    measured.sort(Comparator.comparingDouble(Point::rate));
    return new CpuCurve(nonDecreasing(sameRatesMerged(measured)), line);
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
      return Math.max(0, first.cores() - line.perMessageSeconds() * (first.rate() - rate));
    }
    if (rate >= last.rate()) {
      return last.cores() + line.perMessageSeconds() * (rate - last.rate());
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
        + "; beyond, " + n(line.perMessageMillis()) + " ms per message";
  }
}
