package dev.messenger.loadgen.run;

import java.util.Optional;

/**
 * What every load-generator message carries so that receivers can check it: the run, the sending device
 * (index in this run), the sender's sequence number in the conversation, and when the send was scheduled
 * (nanoseconds after the run's epoch). The body is this header padded with 'x' to the requested size.
 */
public record MessageHeader(String runId, int senderDevice, int senderSeq, long scheduledNanos) {
  private static final String MAGIC = "LG1";
  private static final String PADDING = "x".repeat(100_000);

  /** The body: header, then padding up to {@code size} characters (the header alone if it is longer). */
  public String body(int size) {
    String header = MAGIC + ' ' + runId + ' ' + senderDevice + ' ' + senderSeq + ' ' + scheduledNanos + ' ';
    return header.length() >= size ? header : header + PADDING.substring(0, size - header.length());
  }

  /** The shortest body any message of this run can have (the largest header). */
  public static int maxHeaderLength(String runId) {
    return new MessageHeader(runId, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE).body(0).length();
  }

  /** The header of a body, empty when the body was not written by a load generator. */
  public static Optional<MessageHeader> parse(String body) {
    if (!body.startsWith(MAGIC + ' ')) {
      return Optional.empty();
    }
    int a = MAGIC.length() + 1;
    int b = body.indexOf(' ', a);
    int c = b < 0 ? -1 : body.indexOf(' ', b + 1);
    int d = c < 0 ? -1 : body.indexOf(' ', c + 1);
    int e = d < 0 ? -1 : body.indexOf(' ', d + 1);
    if (e < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(new MessageHeader(
          body.substring(a, b),
          Integer.parseInt(body, b + 1, c, 10),
          Integer.parseInt(body, c + 1, d, 10),
          Long.parseLong(body, d + 1, e, 10)));
    } catch (NumberFormatException malformed) {
      return Optional.empty();
    }
  }
}
