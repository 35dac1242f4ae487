package dev.messenger.loadgen.chaos;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The faults done one after the other within one measured window, written {@code a+b+c} (for example
 * {@code history:kill+presence:kill+push:kill}): each starts once the one before it has answered (the process
 * is SERVING again, the pause or cut is over). A short suite covers more kinds of process this way without a
 * warm-up, drain and read-back for each.
 */
public record FaultSeries(List<Fault> steps) {
  public FaultSeries {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a fault series needs at least one fault");
    }
    steps = List.copyOf(steps);
  }

  public static FaultSeries parse(String text) {
    return new FaultSeries(Arrays.stream(text.split("\\+", -1)).map(Fault::parse).toList());
  }

  public static FaultSeries of(Fault fault) {
    return new FaultSeries(List.of(fault));
  }

  /** As written on the command line. */
  public String label() {
    return steps.stream().map(Fault::label).collect(Collectors.joining("+"));
  }
}
