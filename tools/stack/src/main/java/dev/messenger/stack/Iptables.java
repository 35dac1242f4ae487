package dev.messenger.stack;

import java.util.List;

/** Runs one iptables command line (the arguments after the program's name). */
@FunctionalInterface
interface Iptables {
  /**
   * @throws IptablesException if the program could not run or answered with an error
   */
  void run(List<String> arguments);
}
