package dev.messenger.loadgen.presence;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and null as indented JSON. */
final class JsonText {
  private JsonText() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, 0);
    return out.append('\n').toString();
  }

  private static void write(Object value, StringBuilder out, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? number(d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      container(map.entrySet().iterator(), '{', '}', out, depth);
    } else if (value instanceof List<?> list) {
      container(list.iterator(), '[', ']', out, depth);
    } else {
      string(value.toString(), out);
    }
  }

  private static void container(Iterator<?> items, char open, char close, StringBuilder out, int depth) {
    out.append(open);
    boolean first = true;
    while (items.hasNext()) {
      Object item = items.next();
      out.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
      first = false;
      if (item instanceof Map.Entry<?, ?> entry) {
        string(String.valueOf(entry.getKey()), out);
        out.append(": ");
        write(entry.getValue(), out, depth + 1);
      } else {
        write(item, out, depth + 1);
      }
    }
    if (!first) {
      out.append('\n').append("  ".repeat(depth));
    }
    out.append(close);
  }

  private static String number(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%.3f", d).replaceAll("0+$", "");
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
