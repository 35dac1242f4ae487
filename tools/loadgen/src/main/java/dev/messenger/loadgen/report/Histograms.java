package dev.messenger.loadgen.report;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Latency histograms as the reports hold them: values are recorded in microseconds, summarised in
 * milliseconds, and stored compressed (base64) so that reports of several processes can be merged exactly.
 */
public final class Histograms {
  /** Significant value digits of every latency histogram (0.1% resolution). */
  public static final int DIGITS = 3;

  private Histograms() {}

  /** An empty auto-resizing histogram of microseconds. */
  public static Histogram newHistogram() {
    Histogram histogram = new Histogram(DIGITS);
    histogram.setAutoResize(true);
    return histogram;
  }

  /** {@code count, mean, p50, p90, p99, p999, max} in milliseconds (0 for an empty histogram). */
  public static Map<String, Object> summaryMillis(Histogram micros) {
    Map<String, Object> out = new LinkedHashMap<>();
    long count = micros.getTotalCount();
    out.put("count", count);
    out.put("mean", count == 0 ? 0.0 : round(micros.getMean() / 1000.0));
    out.put("p50", percentileMillis(micros, 50));
    out.put("p90", percentileMillis(micros, 90));
    out.put("p99", percentileMillis(micros, 99));
    out.put("p999", percentileMillis(micros, 99.9));
    out.put("max", count == 0 ? 0.0 : round(micros.getMaxValue() / 1000.0));
    return out;
  }

  public static double percentileMillis(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? 0.0 : round(micros.getValueAtPercentile(percentile) / 1000.0);
  }

  /** The histogram, compressed and base64-encoded. */
  public static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
  }

  public static Histogram decode(String encoded) {
    try {
      Histogram histogram = Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
      histogram.setAutoResize(true);
      return histogram;
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("malformed histogram in report", e);
    }
  }

  private static double round(double millis) {
    return Math.round(millis * 1000.0) / 1000.0;
  }
}
