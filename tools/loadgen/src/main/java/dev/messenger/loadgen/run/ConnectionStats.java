package dev.messenger.loadgen.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams and connections of a run. A device stream is one {@code Connect} call (an HTTP/2 stream); a
 * connection is one TCP connection, which carries up to {@code streamsPerConnection} device streams.
 *
 * @param devices simulated devices
 * @param devicesConnected devices that connected and caught up during the ramp (they take part)
 * @param opened streams that got a Welcome (including reconnects)
 * @param failed stream attempts that ended before their Welcome, plus devices that never connected
 * @param reconnects welcomed streams beyond each connected device's first
 * @param peak most device streams live at once
 * @param liveAtEnd device streams live when sending stopped
 * @param tcpConnections TCP connections opened
 * @param bySource TCP connections per local source address
 */
public record ConnectionStats(
    int devices,
    int devicesConnected,
    long opened,
    long failed,
    long reconnects,
    int peak,
    int liveAtEnd,
    int tcpConnections,
    int streamsPerConnection,
    Map<String, Integer> bySource,
    double rampSeconds) {

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("opened", opened);
    map.put("failed", failed);
    map.put("peak", peak);
    map.put("unit", "device streams (gRPC Connect calls); TCP connections are counted separately");
    map.put("devices", devices);
    map.put("devices_connected", devicesConnected);
    map.put("reconnects", reconnects);
    map.put("live_at_end", liveAtEnd);
    map.put("tcp_connections", tcpConnections);
    map.put("streams_per_connection", streamsPerConnection);
    map.put("tcp_connections_by_source", new LinkedHashMap<>(bySource));
    map.put("ramp_s", Math.round(rampSeconds * 10) / 10.0);
    return map;
  }

  @SuppressWarnings("unchecked")
  public static ConnectionStats fromMap(Map<String, Object> m) {
    Map<String, Integer> bySource = new LinkedHashMap<>();
    if (m.get("tcp_connections_by_source") instanceof Map<?, ?> map) {
      ((Map<String, Object>) map).forEach((k, v) -> bySource.put(k, ((Number) v).intValue()));
    }
    return new ConnectionStats(i(m, "devices"), i(m, "devices_connected"), l(m, "opened"), l(m, "failed"),
        l(m, "reconnects"), i(m, "peak"), i(m, "live_at_end"), i(m, "tcp_connections"),
        i(m, "streams_per_connection"), bySource, m.get("ramp_s") instanceof Number n ? n.doubleValue() : 0);
  }

  /** Two processes' connections together (their peaks add up: they hold their streams at the same time). */
  public ConnectionStats plus(ConnectionStats o) {
    Map<String, Integer> sources = new LinkedHashMap<>(bySource);
    o.bySource.forEach((k, v) -> sources.merge(k, v, Integer::sum));
    return new ConnectionStats(devices + o.devices, devicesConnected + o.devicesConnected, opened + o.opened,
        failed + o.failed, reconnects + o.reconnects, peak + o.peak, liveAtEnd + o.liveAtEnd,
        tcpConnections + o.tcpConnections, Math.max(streamsPerConnection, o.streamsPerConnection), sources,
        Math.max(rampSeconds, o.rampSeconds));
  }

  private static long l(Map<String, Object> m, String key) {
    return m.get(key) instanceof Number n ? n.longValue() : 0;
  }

  private static int i(Map<String, Object> m, String key) {
    return (int) l(m, key);
  }
}
