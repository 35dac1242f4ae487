package dev.messenger.loadgen.chaos;

import dev.messenger.loadgen.run.WindowProbe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Injects the fault as the measurement window starts (the warm-up before it is the steady state), on a
 * thread of its own, and puts what the control port answered into the report when the window ends.
 */
public final class FaultWindow implements WindowProbe {
  private final Fault fault;
  private final StackControlClient control;
  private final CompletableFuture<Map<String, Object>> done = new CompletableFuture<>();

  public FaultWindow(Fault fault, StackControlClient control) {
    this.fault = fault;
    this.control = control;
  }

  @Override
  public void windowStarts() {
    Thread injector = new Thread(() -> {
      try {
        done.complete(control.inject(fault));
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
    outcome.put("fault", fault.label());
    try {
      outcome.put("control", done.get(5, TimeUnit.MINUTES));
    } catch (Exception e) {
      outcome.put("control_error", e.getCause() != null ? e.getCause().toString() : e.toString());
    }
    return Map.of("chaos", outcome);
  }
}
