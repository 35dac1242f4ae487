package dev.messenger.loadgen;

import dev.messenger.loadgen.report.Histograms;
import dev.messenger.loadgen.report.Json;
import dev.messenger.loadgen.report.SummaryText;
import dev.messenger.loadgen.run.SecondSample;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * The progress line while a run goes on: a human line per second on the terminal, or (in a child process
 * of a multi-process run) a machine line the parent reads and combines.
 */
final class ProgressPrinter {
  static final String SAMPLE_PREFIX = "LOADGEN-SAMPLE ";
  static final String RAMP_PREFIX = "LOADGEN-RAMP ";

  private ProgressPrinter() {}

  static Consumer<SecondSample> samples(PrintWriter out, boolean machine) {
    if (machine) {
      return sample -> {
        synchronized (out) {
          out.println(SAMPLE_PREFIX + Json.write(sample.toMap(true)).replace("\n", " "));
          out.flush();
        }
      };
    }
    return sample -> out.println(line(sample));
  }

  static Consumer<String> ramp(PrintWriter out, boolean machine) {
    return line -> {
      synchronized (out) {
        out.println(machine ? RAMP_PREFIX + line : line);
        out.flush();
      }
    };
  }

  static String line(SecondSample s) {
    return SummaryText.progress(s.phase(), s.second(), s.sent(), s.acked(), s.delivered(), s.errors(),
        s.liveStreams(), Histograms.percentileMillis(s.ack(), 99), Histograms.percentileMillis(s.delivery(), 50),
        Histograms.percentileMillis(s.delivery(), 99));
  }
}
