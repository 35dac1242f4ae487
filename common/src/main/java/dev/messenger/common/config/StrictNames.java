package dev.messenger.common.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Finds the flags a service does not read and the MESSENGER_* variables nothing reads. */
final class StrictNames {
  private StrictNames() {}

  static void check(ServiceName service, Collection<String> flags, Collection<String> variables) {
    List<String> problems = new ArrayList<>();
    Set<String> own = KnownSettings.namesOf(service);
    for (String flag : new TreeSet<>(flags)) {
      if (!own.contains(flag)) {
        problems.add(unknownFlag(service, flag, own));
      }
    }
    for (String variable : new TreeSet<>(variables)) {
      if (variable.startsWith(KnownSettings.VARIABLE_PREFIX)
          && !KnownSettings.allNames().contains(KnownSettings.nameOfVariable(variable))) {
        problems.add(unknownVariable(variable));
      }
    }
    if (!problems.isEmpty()) {
      throw new UnknownSettingException("the " + service.label() + " service does not start: "
          + String.join("; ", problems));
    }
  }

  private static String unknownFlag(ServiceName service, String flag, Set<String> own) {
    Set<ServiceName> readers = KnownSettings.readersOf(flag);
    if (!readers.isEmpty()) {
      return "flag --" + flag + " is not a setting of the " + service.label() + " service (read by "
          + readers.stream().map(ServiceName::label).collect(Collectors.joining(", ")) + ")";
    }
    return "unknown flag --" + flag + ClosestName.to(flag, own).map(n -> " (did you mean --" + n + "?)").orElse("");
  }

  private static String unknownVariable(String variable) {
    String name = KnownSettings.nameOfVariable(variable);
    return "unknown environment variable " + variable + ClosestName.to(name, KnownSettings.allNames())
        .map(n -> " (did you mean " + KnownSettings.variableName(n) + "?)")
        .orElse(" (no messenger process reads it)");
  }
}
