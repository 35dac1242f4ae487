package dev.messenger.loadgen.run;

import dev.messenger.loadgen.report.Histograms;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One second of the time series: what completed in that second (sends fired, acks and deliveries
 * received, failures) and the latency percentiles of what completed in it.
 *
 * @param second seconds since the send phase started (the end of the sampled second)
 * @param phase "warmup", "measure" or "drain"
 * @param ack ack latencies (microseconds) of acks received in this second
 * @param delivery delivery latencies (microseconds) of deliveries received in this second
 * @param reconnects streams that came up in this second for a device that had one before
 * @param catchUps catch-ups after a reconnect that ended in this second (the device has everything history
 *     held again)
 */
public record SecondSample(
    int second,
    String phase,
    long sent,
    long acked,
    long delivered,
    long failed,
    long errors,
    int liveStreams,
    Histogram ack,
    Histogram delivery,
    long reconnects,
    long catchUps) {

  /** For report.json; with the raw histograms when {@code withHistograms} (partial reports to merge). */
  public Map<String, Object> toMap(boolean withHistograms) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("t", second);
    map.put("phase", phase);
    map.put("sent", sent);
    map.put("acked", acked);
    map.put("delivered", delivered);
    map.put("failed", failed);
    map.put("errors", errors);
    map.put("live_streams", liveStreams);
    map.put("reconnects", reconnects);
    map.put("catch_ups", catchUps);
    map.put("ack_p50_ms", Histograms.percentileMillis(ack, 50));
    map.put("ack_p99_ms", Histograms.percentileMillis(ack, 99));
    map.put("ack_max_ms", Histograms.percentileMillis(ack, 100));
    map.put("delivery_p50_ms", Histograms.percentileMillis(delivery, 50));
    map.put("delivery_p99_ms", Histograms.percentileMillis(delivery, 99));
    map.put("delivery_max_ms", Histograms.percentileMillis(delivery, 100));
    if (withHistograms) {
      map.put("ack_histogram", Histograms.encode(ack));
      map.put("delivery_histogram", Histograms.encode(delivery));
    }
    return map;
  }

  /** Reads a sample written with histograms back. */
  public static SecondSample fromMap(Map<String, Object> map) {
    return new SecondSample(num(map, "t").intValue(), String.valueOf(map.get("phase")), num(map, "sent").longValue(),
        num(map, "acked").longValue(), num(map, "delivered").longValue(), num(map, "failed").longValue(),
        num(map, "errors").longValue(), num(map, "live_streams").intValue(),
        decode(map, "ack_histogram"), decode(map, "delivery_histogram"), num(map, "reconnects").longValue(),
        num(map, "catch_ups").longValue());
  }

  /** Adds another process's sample of the same second. */
  public SecondSample plus(SecondSample o) {
    Histogram a = ack.copy();
    a.add(o.ack);
    Histogram d = delivery.copy();
    d.add(o.delivery);
    return new SecondSample(second, phase, sent + o.sent, acked + o.acked, delivered + o.delivered,
        failed + o.failed, errors + o.errors, liveStreams + o.liveStreams, a, d, reconnects + o.reconnects,
        catchUps + o.catchUps);
  }

  private static Number num(Map<String, Object> map, String key) {
    Object v = map.get(key);
    return v instanceof Number n ? n : 0;
  }

  private static Histogram decode(Map<String, Object> map, String key) {
    Object v = map.get(key);
    return v instanceof String s ? Histograms.decode(s) : Histograms.newHistogram();
  }
}
