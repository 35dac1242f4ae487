package dev.messenger.stack;

import java.util.List;

/** Runs one iptables command line (the arguments after the program's name). */
@FunctionalInterface
interface Iptables {
  /**
   * @throws IptablesException if the program could not run or answered with an error
   */
  void run(List<String> arguments);

  /**
   * Runs every step of a removal, each whether or not the one before succeeded: removing is idempotent, and a
   * missing jump, rule or chain is what a removal wants.
   */
  default void runEach(List<List<String>> removalSteps) {
    for (List<String> step : removalSteps) {
      try {
        run(step);
      } catch (IptablesException alreadyGone) {
        // already removed
      }
    }
  }

  /**
   * Runs every step, each whether or not the one before succeeded, then reports the ones that failed.
   *
   * @throws IptablesException naming every failed step
   */
  default void runAll(List<List<String>> steps) {
    List<String> failures = new java.util.ArrayList<>();
    for (List<String> step : steps) {
      try {
        run(step);
      } catch (IptablesException e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new IptablesException(String.join("; ", failures));
    }
  }
}
