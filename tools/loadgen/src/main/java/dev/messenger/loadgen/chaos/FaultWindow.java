package dev.messenger.loadgen.chaos;

import dev.messenger.loadgen.run.WindowProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Injects the faults as the measurement window starts (the warm-up before it is the steady state), one after
 * the other on a thread of its own, and puts what the control port answered to each ({@code control}, a list)
 * into the report when the window ends; the first that fails ends the series ({@code control_error}).
 */
public final class FaultWindow implements WindowProbe {
  private final FaultSeries series;
  private final StackControlClient control;
  private final List<Map<String, Object>> answers = new ArrayList<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  public FaultWindow(FaultSeries series, StackControlClient control) {
    this.series = series;
    this.control = control;
  }

  @Override
  public void windowStarts() {
    Thread injector = new Thread(() -> {
      try {
        for (Fault fault : series.steps()) {
          Map<String, Object> answer = control.inject(fault);
          synchronized (answers) {
            answers.add(answer);
          }
        }
        done.complete(null);
      } catch (Exception e) {
        done.completeExceptionally(e);
      }
    }, "chaos-fault");
    injector.setDaemon(true);
    injector.start();
  }

  @Override
  public Map<String, Object> windowEnds() {
    Map<String, Object> outcome = new LinkedHashMap<>();
    outcome.put("fault", series.label());
    try {
      done.get(series.steps().size() * 5L, TimeUnit.MINUTES);
    } catch (Exception e) {
      outcome.put("control_error", e.getCause() != null ? e.getCause().toString() : e.toString());
    }
    synchronized (answers) {
      outcome.put("control", List.copyOf(answers));
    }
    return Map.of("chaos", outcome);
  }
}
