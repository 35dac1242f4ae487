package dev.messenger.loadgen;

import picocli.CommandLine;

/** Large counts on the command line: "500M", "2k", "1.5G" or plain numbers with optional underscores. */
final class CountConverter implements CommandLine.ITypeConverter<Double> {
  @Override
  public Double convert(String value) {
    String v = value.trim().replace("_", "").replace(",", "");
    double factor = 1;
    char last = Character.toUpperCase(v.isEmpty() ? ' ' : v.charAt(v.length() - 1));
    if (last == 'K' || last == 'M' || last == 'G' || last == 'B') {
      factor = last == 'K' ? 1e3 : last == 'M' ? 1e6 : 1e9;
      v = v.substring(0, v.length() - 1);
    }
    try {
      return Double.parseDouble(v) * factor;
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("not a count: '" + value + "' (use e.g. 500M, 2k, 40)");
    }
  }
}
