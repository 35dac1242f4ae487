package dev.messenger.loadgen;

import dev.messenger.loadgen.run.ServerProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live heap of a session server JVM on this machine, via {@code jcmd <pid> GC.run} then
 * {@code GC.heap_info}: before any device connects and with every stream open. The difference divided by
 * the open streams is the server's memory per idle device stream. Also reports the resident set (RSS).
 */
final class HeapProbe implements ServerProbe {
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private final long pid;
  private final PrintWriter log;
  private long heapBefore = -1;
  private long rssBefore = -1;

  HeapProbe(long pid, PrintWriter log) {
    this.pid = pid;
    this.log = log;
  }

  @Override
  public void before() {
    heapBefore = liveHeapKib();
    rssBefore = rssKib();
    log.printf("server %d: live heap %,d KiB, RSS %,d KiB before the ramp%n", pid, heapBefore, rssBefore);
  }

  @Override
  public Map<String, Object> after(int liveStreams) {
    long heap = liveHeapKib();
    long rss = rssKib();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pid", pid);
    out.put("live_streams", liveStreams);
    out.put("heap_before_kib", heapBefore);
    out.put("heap_with_streams_kib", heap);
    out.put("rss_before_kib", rssBefore);
    out.put("rss_with_streams_kib", rss);
    if (liveStreams > 0 && heap >= 0 && heapBefore >= 0) {
      out.put("heap_per_stream_kib", Math.round((heap - heapBefore) * 100.0 / liveStreams) / 100.0);
      out.put("rss_per_stream_kib", Math.round((rss - rssBefore) * 100.0 / liveStreams) / 100.0);
    }
    out.put("method", "jcmd GC.run then GC.heap_info (live heap after a full GC); RSS from /proc");
    return out;
  }

  private long liveHeapKib() {
    jcmd("GC.run");
    Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private long rssKib() {
    try {
      Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  private String jcmd(String command) {
    try {
      Process process = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output.trim());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run jcmd (needs a JDK on the PATH): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
