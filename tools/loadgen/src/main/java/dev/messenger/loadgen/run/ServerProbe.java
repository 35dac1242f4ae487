package dev.messenger.loadgen.run;

import java.util.Map;

/**
 * Measures something on the server side around the idle hold, e.g. the session server's live heap
 * before the ramp and with every stream open.
 */
public interface ServerProbe {
  /** Before any device connects. */
  void before();

  /** With {@code liveStreams} streams open; returns what goes into report.json's {@code server}. */
  Map<String, Object> after(int liveStreams);

  ServerProbe NONE = new ServerProbe() {
    @Override
    public void before() {}

    @Override
    public Map<String, Object> after(int liveStreams) {
      return Map.of();
    }
  };
}
